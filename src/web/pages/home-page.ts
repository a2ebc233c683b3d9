import type { Poll, PollSummary } from '../../polls/model.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import { linksFor } from '../links.js';
import { plural, statusLine } from './format.js';

/**
 * The original's index (the seeded poll's question, Vote and See results)
 * first, then an invitation to create a poll and the newest public polls.
 */
export function homePage(
  ctx: PageContext,
  featured: Poll | undefined,
  recent: PollSummary[],
) {
  const body = html`
${featured ? featuredPoll(featured) : ''}
<section class="card create-call">
  <h2>Ask your own question</h2>
  <p>Make a poll in a minute, share its link, and watch the answers come in. No account needed.</p>
  <p class="actions"><a class="button primary" href="/new">Create a poll</a></p>
</section>
<section class="card" aria-labelledby="recent-heading">
  <h2 id="recent-heading">Recent polls</h2>
  ${recent.length > 0 ? pollList(recent) : html`<p class="hint">No polls yet: yours could be the first.</p>`}
</section>`;
  return layout(ctx, featured?.question ?? 'Polls', body);
}

function featuredPoll(poll: Poll): SafeHtml {
  const links = linksFor(poll);
  return html`<section class="card featured">
  <h1>${poll.question}</h1>
  <p class="actions">
    <a class="button primary" href="${links.vote}">Vote</a>
    <a class="button" href="${links.results}">See results</a>
  </p>
</section>`;
}

function pollList(polls: PollSummary[]): SafeHtml {
  const items = polls.map(
    (p) => html`
    <li>
      <a href="${linksFor(p).intro}">${p.question}</a>
      <span class="meta">${statusLine(p)} · ${plural(p.ballots, 'voter', 'voters')}</span>
    </li>`,
  );
  return html`<ul class="poll-list">${items}
  </ul>`;
}
