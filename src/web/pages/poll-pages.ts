import type { Poll, Results } from '../../polls/model.js';
import { html } from '../html.js';
import { layout, type PageContext } from '../layout.js';

interface Links {
  vote: string;
  results: string;
}

export function introPage(ctx: PageContext, poll: Poll, links: Links): string {
  const body = html`
<section class="card">
  <h1>${poll.question}</h1>
  <p class="actions">
    <a class="button primary" href="${links.vote}">Vote</a>
    <a class="button" href="${links.results}">See results</a>
  </p>
</section>`;
  return layout(ctx, poll.question, body);
}

export function votePage(ctx: PageContext, poll: Poll, links: Links): string {
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
  const body = html`
<section class="card">
  <form method="post" action="${links.vote}">
    <fieldset>
      <legend><h1>${poll.question}</h1></legend>
      ${hint}
      <ul class="choices">${options}
      </ul>
    </fieldset>
    <p class="actions">
      <button class="button primary" type="submit" name="vote" value="Vote">Vote</button>
      <a class="button" href="${links.results}">See results</a>
    </p>
  </form>
</section>`;
  return layout(ctx, poll.question, body);
}

export function resultsPage(
  ctx: PageContext,
  poll: Poll,
  results: Results,
  links: Links,
  notice?: string,
) {
  const rows = results.options.map((o) => {
    const share = results.total === 0 ? 0 : (o.votes / results.total) * 100;
    const percent = share.toFixed(share > 0 && share < 10 ? 1 : 0);
    return html`
    <li class="result">
      <span class="label">${o.label}</span>
      <span class="figures">${o.votes} ${o.votes === 1 ? 'vote' : 'votes'}, ${percent}%</span>
      <progress class="bar" max="100" value="${share.toFixed(2)}" aria-hidden="true"></progress>
    </li>`;
  });
  const body = html`
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<section class="card">
  <h1>${poll.question}</h1>
  <ol class="results" aria-label="Results">${rows}
  </ol>
  <p class="total">${results.ballots} ${results.ballots === 1 ? 'voter' : 'voters'} in all</p>
  <p class="actions"><a class="button" href="${links.vote}">Vote</a></p>
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
