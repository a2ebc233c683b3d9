import { percentOf } from '../../polls/export.js';
import type { Results } from '../../polls/model.js';
import { html, type SafeHtml } from '../html.js';
import { colourClass, donutChart } from './chart.js';
import { percentText, plural } from './format.js';

/**
 * The figures: a chart for the eye, and a list that reads well without
 * styles and to a screen reader (label, then count and percent in words).
 */
export function resultsView(results: Results, liveUrl?: string): SafeHtml {
  const rows = results.options.map((o, i) => {
    const share = percentOf(o.votes, results.total);
    return html`
    <li class="result">
      <span class="label"><span class="swatch ${colourClass(i)}" aria-hidden="true"></span>${o.label}</span>
      <span class="figures">${plural(o.votes, 'vote', 'votes')}, ${percentText(share)}%</span>
      <progress class="bar ${colourClass(i)}" max="100" value="${share.toFixed(2)}" aria-hidden="true"></progress>
    </li>`;
  });
  // live.js keeps the figures current when the block names its event stream.
  return html`<div class="results-block"${liveUrl ? html` data-live-results="${liveUrl}"` : ''}>
  <div class="results-view">
    ${donutChart(results)}
    <ol class="results" aria-label="Results">${rows}
    </ol>
  </div>
  <p class="total">${plural(results.ballots, 'voter', 'voters')} in all</p>
  </div>`;
}

/** Links to the results as files. */
export function downloadLinks(links: { csv: string; json: string }): SafeHtml {
  return html`<p class="downloads">Download the results:
    <a href="${links.csv}" download>CSV</a>
    <a href="${links.json}" download>JSON</a></p>`;
}
