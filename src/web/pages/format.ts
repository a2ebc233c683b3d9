import { isOpen, type Poll } from '../../polls/model.js';
import { html, type SafeHtml } from '../html.js';

// Always UTC: the server cannot know the reader's zone. app.js rewrites
// these into local time when scripts run.
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

export function timeTag(ms: number): SafeHtml {
  return html`<time datetime="${new Date(ms).toISOString()}">${DATE_TIME.format(ms)} UTC</time>`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whole percents, with one decimal below 10 so that a few votes still show. */
export function percentText(share: number): string {
  return share.toFixed(share > 0 && share < 10 ? 1 : 0);
}

/** "Open, closes …", "Closed …": the line under a poll's question. */
export function statusLine(poll: Omit<Poll, 'options'>, now = Date.now()): SafeHtml {
  if (isOpen(poll, now)) {
    if (poll.closesAt === null) return html`<span class="badge open">Open</span>`;
    return html`<span class="badge open">Open</span> until ${timeTag(poll.closesAt)}`;
  }
  const closedAt = poll.closedAt ?? poll.closesAt ?? now;
  return html`<span class="badge closed">Closed</span> since ${timeTag(closedAt)}`;
}

export function kindLine(poll: Pick<Poll, 'kind' | 'maxChoices'>): string {
  if (poll.kind === 'single') return 'One answer';
  return `Up to ${poll.maxChoices} answers`;
}

/** A catalog message ("no such poll") as a sentence for a page: "No such poll." */
export function sentence(text: string): string {
  const stop = /[.!?]$/.test(text) ? '' : '.';
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${stop}`;
}
