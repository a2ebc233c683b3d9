import type { TestContext } from 'node:test';
import type { FailureCounters } from '../../scripts/cluster/balancer.js';
import type { Audit } from './audit.js';
import type { RequestLog, VoteLoad } from './load.js';

/** What a resilience run measured, printed with the test and kept for the report. */
export interface Figures {
  requests: number;
  ok: number;
  /** Requests that did not end in a 2xx (409 "already voted" included), by kind and end. */
  notOk: Record<string, number>;
  clientRetries: number;
  votes: Record<'sent' | 'counted' | 'countedEarlier' | 'replayed' | 'gaveUp', number>;
  /** The longest a vote took to be answered 2xx: a vote waiting out an outage shows here. */
  slowestCountedVoteMs: number;
  balancer: FailureCounters;
  /** Milliseconds from the event, for each kind of recovery measured. */
  recoveryMs: Record<string, number | undefined>;
  audit: Omit<Audit, 'problems'>;
}

export function measure(
  load: VoteLoad,
  balancer: FailureCounters,
  audit: Audit,
  recoveryMs: Figures['recoveryMs'],
): Figures {
  const notOk: Record<string, number> = {};
  for (const r of load.requests) {
    const key = `${r.what} ${r.outcome}`;
    if (r.outcome !== 'ok') notOk[key] = (notOk[key] ?? 0) + 1;
  }
  const votes = load.votes;
  const { problems: _, ...stored } = audit;
  return {
    requests: load.requests.length,
    ok: load.requests.filter((r) => r.outcome === 'ok').length,
    notOk,
    clientRetries: load.requests.filter((r) => r.attempt > 1).length,
    votes: {
      sent: votes.length,
      counted: votes.filter((v) => v.result === 'counted').length,
      countedEarlier: votes.filter((v) => v.result === 'counted-earlier').length,
      replayed: votes.filter((v) => v.detail === 'balancer replay').length,
      gaveUp: votes.filter((v) => v.result === 'gave-up').length,
    },
    slowestCountedVoteMs: Math.max(
      0,
      ...load.requests
        .filter((r) => r.what === 'vote' && r.outcome === 'ok')
        .map((r) => r.endedAt - r.startedAt),
    ),
    balancer,
    recoveryMs,
    audit: stored,
  };
}

/** From `since` to the answer of the first successful vote sent after it. */
export function firstVoteAfter(
  requests: RequestLog[],
  since: number,
): number | undefined {
  const first = requests
    .filter((r) => r.what === 'vote' && r.outcome === 'ok' && r.startedAt >= since)
    .sort((a, b) => a.endedAt - b.endedAt)[0];
  return first ? first.endedAt - since : undefined;
}

/** From `since` to the end of the last request that failed (409 is not a failure). */
export function lastFailureAfter(
  requests: RequestLog[],
  since: number,
): number | undefined {
  const failed = requests.filter(
    (r) => r.outcome !== 'ok' && r.outcome !== '409' && r.endedAt >= since,
  );
  if (failed.length === 0) return undefined;
  return Math.max(...failed.map((r) => r.endedAt)) - since;
}

/** Prints the figures under the test, one aspect a line, then as one JSON line. */
export function report(t: TestContext, figures: Figures): void {
  const f = figures;
  t.diagnostic(`requests ${f.requests}, 2xx ${f.ok}, client retries ${f.clientRetries}`);
  t.diagnostic(`not 2xx: ${JSON.stringify(f.notOk)}`);
  t.diagnostic(
    `votes: ${JSON.stringify(f.votes)}, slowest counted ${f.slowestCountedVoteMs} ms`,
  );
  t.diagnostic(`balancer: ${JSON.stringify(f.balancer)}`);
  t.diagnostic(`recovery (ms): ${JSON.stringify(f.recoveryMs)}`);
  t.diagnostic(`database: ${JSON.stringify(f.audit)}`);
  t.diagnostic(`figures ${JSON.stringify(f)}`);
}
