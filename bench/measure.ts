import type { RunningApp } from './app.js';
import { auditVotes, describeAudit, type VoteAudit } from './audit.js';
import type { BenchDb } from './db/bench-db.js';
import { optionIds, resetPoll } from './db/poll-data.js';
import { ENDPOINTS, type Endpoint, POLL } from './endpoints.js';
import {
  accepted,
  requestsPerSecond,
  runWrk,
  sumStatuses,
  type WrkResult,
} from './wrk.js';

export interface Measured {
  /** 'node:http' is the bare server of the ceiling; 'vote floor' is vote-floor.mjs. */
  endpoint: Endpoint | 'node:http' | 'vote floor';
  connections: number;
  /** 2xx responses a second: a fast 429 or 500 is no throughput. */
  rps: number;
  /** All responses a second, whatever their status. */
  responsesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  /** Responses outside 2xx plus socket errors and timeouts. */
  failures: number;
  /** wrk's socket errors; a timeout is a request unanswered after 5 s. */
  socketErrors: WrkResult['errors'];
  /** Only for votes: the database checked against what wrk saw. */
  audit?: VoteAudit;
  /** The app's last log lines, kept when a run had failures, to tell why. */
  appOutput?: string[];
}

export interface MeasureSpec {
  app: RunningApp;
  db: BenchDb;
  endpoint: Endpoint;
  connections: number;
  seconds: number;
  threads: number;
}

/**
 * One wrk run against one route. A vote run starts from an empty poll and ends
 * with an audit of the database against the statuses wrk counted.
 */
export async function measure(spec: MeasureSpec): Promise<Measured> {
  const route = ENDPOINTS[spec.endpoint];
  const isVote = route.mode === 'vote';
  if (isVote) await resetPoll(spec.db, POLL);

  const result = await runWrk({
    url: spec.app.baseUrl + route.path,
    seconds: spec.seconds,
    connections: spec.connections,
    threads: spec.threads,
    mode: route.mode,
    optionIds: isVote ? await optionIds(spec.db, POLL) : undefined,
  });
  const audit = isVote ? await auditVotes(spec.db, POLL, result) : undefined;
  const measured = summarize(spec.endpoint, spec.connections, result, audit);
  if (measured.failures > 0) measured.appOutput = lastLines(spec.app.output());
  return measured;
}

export function summarize(
  endpoint: Measured['endpoint'],
  connections: number,
  result: WrkResult,
  audit?: VoteAudit,
): Measured {
  const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  return {
    endpoint,
    connections,
    rps: accepted(result) / (result.durationUs / 1e6),
    responsesPerSecond: requestsPerSecond(result),
    p50Ms: result.latencyUs.p50 / 1000,
    p99Ms: result.latencyUs.p99 / 1000,
    statuses: result.statuses,
    socketErrors: result.errors,
    failures: sumStatuses(result, (s) => s < 200 || s >= 300) + errors,
    audit,
  };
}

/** The app's last three log lines, each cut short: enough to name the error. */
function lastLines(output: string): string[] | undefined {
  const lines = output.split('\n').filter(Boolean).slice(-3);
  return lines.length === 0 ? undefined : lines.map((l) => l.slice(0, 400));
}

export function describeMeasured(m: Measured): string {
  const errors = Object.values(m.socketErrors).some((n) => n > 0)
    ? `, socket errors ${JSON.stringify(m.socketErrors)}`
    : '';
  const head =
    `${m.endpoint} c=${m.connections}: ${m.rps.toFixed(0)} 2xx/s, ` +
    `p50 ${m.p50Ms.toFixed(1)} ms, p99 ${m.p99Ms.toFixed(1)} ms, ` +
    `statuses ${JSON.stringify(m.statuses)}${errors}`;
  const withAudit = m.audit ? `${head}; ${describeAudit(m.audit)}` : head;
  return m.appOutput
    ? `${withAudit}\n  app said: ${m.appOutput.join('\n  ')}`
    : withAudit;
}
