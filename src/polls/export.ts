import { isOpen, type Poll, type PollSummary, type Results } from './model.js';

/** An option's share of all choices made, in percent (0 when nobody chose yet). */
export function percentOf(votes: number, total: number): number {
  return total === 0 ? 0 : (votes / total) * 100;
}

/** One decimal, as the CSV and JSON give it. */
function roundedPercent(votes: number, total: number): number {
  return Math.round(percentOf(votes, total) * 10) / 10;
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A poll as the API and downloads show it: never its management hash. */
export function summaryJson(poll: Omit<Poll, 'options'>) {
  return {
    slug: poll.slug,
    title: poll.title,
    question: poll.question,
    kind: poll.kind,
    maxChoices: poll.maxChoices,
    resultsVisibility: poll.resultsVisibility,
    public: poll.isPublic,
    open: isOpen(poll),
    closesAt: isoOrNull(poll.closesAt),
    closedAt: isoOrNull(poll.closedAt),
    createdAt: new Date(poll.createdAt).toISOString(),
  };
}

export function pollJson(poll: Poll) {
  return { ...summaryJson(poll), options: poll.options };
}

export function listedPollJson(poll: PollSummary) {
  return { ...summaryJson(poll), ballots: poll.ballots };
}

export function resultsJson(poll: Poll, results: Results) {
  return {
    poll: pollJson(poll),
    options: results.options.map((o) => ({
      ...o,
      percent: roundedPercent(o.votes, results.total),
    })),
    ballots: results.ballots,
    total: results.total,
  };
}

/**
 * RFC 4180 CSV, CRLF line ends, behind a byte order mark so spreadsheets
 * read it as UTF-8. A cell that starts like a formula gets a leading quote
 * mark, so opening the file never runs what a poll's creator typed (OWASP
 * "CSV injection").
 */
export function resultsCsv(results: Results): string {
  const rows = results.options.map((o) =>
    [
      o.id,
      csvText(o.label),
      o.votes,
      roundedPercent(o.votes, results.total).toFixed(1),
    ].join(','),
  );
  return `\ufeff${['option_id,label,votes,percent', ...rows].join('\r\n')}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;

function csvText(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}
