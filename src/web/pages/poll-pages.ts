import { isOpen, type Poll, type Results } from '../../polls/model.js';
import type { HiddenReason } from '../../polls/visibility.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { PollLinks } from '../links.js';
import { kindLine, statusLine } from './format.js';
import { downloadLinks, resultsView } from './results-view.js';
import { copyField } from './widgets.js';

export interface Notice {
  text: string;
  /** An error is announced at once (role=alert); news politely (role=status). */
  kind: 'success' | 'info' | 'error';
}

export function noticeBlock(notice: Notice | undefined): SafeHtml | '' {
  if (!notice) return '';
  const role = notice.kind === 'error' ? 'alert' : 'status';
  return html`<p class="notice ${notice.kind}" role="${role}">${notice.text}</p>`;
}

function pollHeader(poll: Poll): SafeHtml {
  return html`<h1>${poll.question}</h1>
  <p class="meta">${statusLine(poll)} · ${kindLine(poll)}</p>`;
}

export function introPage(
  ctx: PageContext,
  poll: Poll,
  links: PollLinks,
  shareUrl: string,
) {
  const body = html`
<section class="card">
  ${pollHeader(poll)}
  <p class="actions">
    ${isOpen(poll) ? html`<a class="button primary" href="${links.vote}">Vote</a>` : ''}
    <a class="button" href="${links.results}">See results</a>
  </p>
  ${copyField('share-link', 'Share this poll', shareUrl)}
</section>`;
  return layout(ctx, poll.question, body);
}

export function votePage(
  ctx: PageContext,
  poll: Poll,
  links: PollLinks,
  notice?: Notice,
) {
  const content = isOpen(poll)
    ? voteForm(poll, links)
    : html`${pollHeader(poll)}
  <p>This poll is closed and takes no more votes.</p>
  <p class="actions"><a class="button primary" href="${links.results}">See results</a></p>`;
  const body = html`
${noticeBlock(notice)}
<section class="card">
  ${content}
</section>`;
  return layout(ctx, poll.question, body);
}

function voteForm(poll: Poll, links: PollLinks): SafeHtml {
  const multiple = poll.kind === 'multiple';
  const options = poll.options.map(
    (o) => html`
    <li><label class="choice">
      <input type="${multiple ? 'checkbox' : 'radio'}" name="vote" value="${o.id}"${
        multiple ? '' : html` required`
      }>
      <span>${o.label}</span>
    </label></li>`,
  );
  const hint = multiple ? html`<p class="hint">Choose up to ${poll.maxChoices}.</p>` : '';
  return html`<form method="post" action="${links.vote}">
    <fieldset>
      <legend><h1>${poll.question}</h1></legend>
      <p class="meta">${statusLine(poll)}</p>
      ${hint}
      <ul class="choices">${options}
      </ul>
    </fieldset>
    <p class="actions">
      <button class="button primary" type="submit" name="vote" value="Vote">Vote</button>
      <a class="button" href="${links.results}">See results</a>
    </p>
  </form>`;
}

export function resultsPage(
  ctx: PageContext,
  poll: Poll,
  results: Results,
  links: PollLinks,
  notice?: Notice,
) {
  const body = html`
${noticeBlock(notice)}
<section class="card">
  ${pollHeader(poll)}
  ${resultsView(results, isOpen(poll) ? `/api/v1/polls/${poll.slug}/events` : undefined)}
  <p class="actions">
    ${isOpen(poll) ? html`<a class="button" href="${links.vote}">Vote</a>` : ''}
    <a class="button" href="${links.intro}">Share</a>
  </p>
  ${downloadLinks(links)}
</section>`;
  return layout(ctx, `Results: ${poll.question}`, body);
}

const HIDDEN_TEXT: Record<HiddenReason, string> = {
  after_vote: 'The results are shown to those who have voted.',
  after_close: 'The results are shown once the poll closes.',
};

export function hiddenResultsPage(
  ctx: PageContext,
  poll: Poll,
  links: PollLinks,
  reason: HiddenReason,
  notice?: Notice,
) {
  const vote = reason === 'after_vote' && isOpen(poll);
  const body = html`
${noticeBlock(notice)}
<section class="card">
  ${pollHeader(poll)}
  <p class="hidden-results">${HIDDEN_TEXT[reason]}</p>
  <p class="actions">
    ${vote ? html`<a class="button primary" href="${links.vote}">Vote</a>` : ''}
    <a class="button" href="${links.intro}">Back to the poll</a>
  </p>
</section>`;
  return layout(ctx, `Results: ${poll.question}`, body);
}

export function messagePage(
  ctx: PageContext,
  title: string,
  message: string,
  back?: string,
) {
  const link = back
    ? html`<p class="actions"><a class="button" href="${back}">Back</a></p>`
    : '';
  const body = html`
<section class="card message" role="status">
  <h1>${title}</h1>
  <p>${message}</p>
  ${link}
</section>`;
  return layout(ctx, title, body);
}
