import { percentOf } from '../../polls/export.js';
import type { Results } from '../../polls/model.js';
import { html, type SafeHtml } from '../html.js';

const RADIUS = 42;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;
export const PALETTE_SIZE = 10;

/** The colour class of the option at `index`, shared by the chart and the list. */
export function colourClass(index: number): string {
  return `c${(index % PALETTE_SIZE) + 1}`;
}

/**
 * A donut chart drawn on the server: no script, no style attribute (the CSP
 * forbids both), colours from CSS classes. It repeats the list beside it, so
 * screen readers skip it.
 */
export function donutChart(results: Results): SafeHtml {
  let start = 0;
  const slices = results.options.map((o, i) => {
    const length = (percentOf(o.votes, results.total) / 100) * CIRCUMFERENCE;
    const slice = html`
    <circle class="slice ${colourClass(i)}" cx="60" cy="60" r="${RADIUS}" stroke-dasharray="${fixed(length)} ${fixed(CIRCUMFERENCE - length)}" stroke-dashoffset="${fixed(-start)}"/>`;
    start += length;
    return o.votes > 0 ? slice : '';
  });
  return html`<svg class="donut" viewBox="0 0 120 120" aria-hidden="true" focusable="false">
  <circle class="track" cx="60" cy="60" r="${RADIUS}"/>
  <g transform="rotate(-90 60 60)">${slices}
  </g>
  <text class="donut-total" x="60" y="60">${results.ballots}</text>
  <text class="donut-caption" x="60" y="76">${results.ballots === 1 ? 'voter' : 'voters'}</text>
</svg>`;
}

function fixed(n: number): string {
  return n.toFixed(2);
}
