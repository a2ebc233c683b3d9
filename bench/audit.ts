import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchDb } from './db/bench-db.js';
import { countPoll, type PollCounts } from './db/poll-data.js';
import { accepted, sumStatuses, type WrkResult } from './wrk.js';

export interface VoteAudit extends PollCounts {
  ok: boolean;
  /** 2xx responses the load generator saw. */
  accepted: number;
  /** Requests the load generator wrote. */
  sent: number;
  /** Requests that may have been stored without a 2xx: unanswered, or answered 5xx. */
  unsure: number;
  /** Empty when ok; otherwise every broken rule, one sentence each. */
  problems: string[];
}

/**
 * Checks a voting run against the database, which must have been emptied for the
 * poll before the run. A request in flight when the load stopped may still land,
 * so rows may exceed the accepted count but never the sent count; and a vote
 * answered 4xx (rejected) must never be stored, which bounds rows tighter still.
 */
export async function auditVotes(
  db: BenchDb,
  slug: string,
  load: WrkResult,
): Promise<VoteAudit> {
  const counts = await settledCounts(db, slug);
  const serverErrors = sumStatuses(load, (status) => status >= 500);
  const seen = {
    accepted: accepted(load),
    sent: load.sent,
    unsure: load.sent - load.requests + serverErrors,
  };
  const problems = findProblems(counts, seen);
  return { ...counts, ...seen, ok: problems.length === 0, problems };
}

export function findProblems(
  counts: PollCounts,
  seen: { accepted: number; sent: number; unsure: number },
): string[] {
  const problems: string[] = [];
  if (seen.accepted === 0) problems.push('no vote was accepted, so nothing was tested');
  if (counts.rows < seen.accepted) {
    problems.push(`lost votes: ${seen.accepted} accepted but ${counts.rows} ballot rows`);
  }
  if (counts.rows > seen.sent) {
    problems.push(`extra votes: ${counts.rows} ballot rows but only ${seen.sent} sent`);
  } else if (counts.rows > seen.accepted + seen.unsure) {
    problems.push(
      `extra votes: ${counts.rows} ballot rows but only ${seen.accepted} accepted and ` +
        `${seen.unsure} unanswered or 5xx: a rejected vote was stored or one was doubled`,
    );
  }
  if (counts.votes !== counts.rows) {
    problems.push(
      `sum(options.votes) is ${counts.votes} but there are ${counts.rows} ballots`,
    );
  }
  if (counts.ballotCount !== counts.rows) {
    problems.push(
      `polls.ballot_count is ${counts.ballotCount} but there are ${counts.rows} ballots`,
    );
  }
  return problems;
}

/** Reads until two reads 300 ms apart agree, so requests still in flight have landed. */
async function settledCounts(db: BenchDb, slug: string): Promise<PollCounts> {
  let last = await countPoll(db, slug);
  for (let i = 0; i < 30; i++) {
    await sleep(300);
    const next = await countPoll(db, slug);
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  return last;
}

export function describeAudit(audit: VoteAudit): string {
  const figures =
    `accepted ${audit.accepted}, sent ${audit.sent}, unanswered or 5xx ${audit.unsure}, ` +
    `rows ${audit.rows}, ` +
    `sum(votes) ${audit.votes}, ballot_count ${audit.ballotCount}`;
  return audit.ok
    ? `audit ok (${figures})`
    : `AUDIT FAILED: ${audit.problems.join('; ')} (${figures})`;
}
