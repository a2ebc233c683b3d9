import { isOpen, type Poll, type Results } from '../../polls/model.js';
import { html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { ManageLinks, PollLinks } from '../links.js';
import { kindLine, statusLine } from './format.js';
import { type Notice, noticeBlock } from './poll-pages.js';
import { downloadLinks, resultsView } from './results-view.js';
import { copyField } from './widgets.js';

export interface ManageView {
  poll: Poll;
  results: Results;
  links: PollLinks;
  manage: ManageLinks;
  shareUrl: string;
  manageUrl: string;
}

/** The creator's page: links, close or reopen, results always, and delete. */
export function managePage(ctx: PageContext, view: ManageView, notice?: Notice) {
  const { poll, manage } = view;
  const toggle = isOpen(poll)
    ? html`<form method="post" action="${manage.close}"><button class="button" type="submit">Close voting now</button></form>`
    : html`<form method="post" action="${manage.reopen}"><button class="button" type="submit">Reopen voting</button></form>`;
  const body = html`
${noticeBlock(notice)}
<section class="card">
  <p class="eyebrow">Manage your poll</p>
  <h1>${poll.question}</h1>
  <p class="meta">${statusLine(poll)} · ${kindLine(poll)}</p>
  ${copyField('share-link', 'Share link, for voters', view.shareUrl)}
  ${copyField(
    'manage-link',
    'Management link, keep it private',
    view.manageUrl,
    'Anyone with this link can close, reopen or delete the poll. We keep no copy of it, so bookmark this page.',
  )}
  <div class="actions">
    ${toggle}
    <a class="button" href="${view.links.intro}">Go to the poll</a>
  </div>
</section>
<section class="card" aria-labelledby="results-heading">
  <h2 id="results-heading">Results</h2>
  ${resultsView(view.results)}
  ${downloadLinks(manage)}
</section>
<section class="card danger-zone" aria-labelledby="delete-heading">
  <h2 id="delete-heading">Delete the poll</h2>
  <form method="post" action="${manage.delete}">
    <label class="choice"><input type="checkbox" name="confirm" value="yes" required> <span>Yes, delete this poll and all its votes for good</span></label>
    <p class="actions"><button class="button danger" type="submit">Delete poll</button></p>
  </form>
</section>`;
  return layout(ctx, `Manage: ${poll.question}`, body);
}
