import type { LogEvent } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RequestDurations } from './request-durations.js';

/** How a vote ended: accepted, or the reason it was refused. */
export type VoteTally = 'accepted' | 'duplicate' | 'closed' | 'invalid' | 'unavailable';

const REFUSALS: VoteTally[] = ['duplicate', 'closed', 'invalid', 'unavailable'];

/** What the metrics read at scrape time rather than count as things happen. */
export interface MetricSources {
  pool: () => PoolStats;
  queuedVotes: () => number;
  live: () => { subscribers: number; polls: number };
}

export interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
}

const SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
const BATCH_SIZES = [1, 2, 5, 10, 25, 50, 100, 250, 500];
const QUERY_KINDS = new Set(['select', 'insert', 'update', 'delete']);

/**
 * The service's Prometheus metrics. Each app has its own registry, so that
 * tests building several apps in one process do not share counters.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #untimed = new Set<string>();
  readonly #http = new RequestDurations(
    'http_request_duration_seconds',
    'Time to answer an HTTP request, by route pattern',
    SECONDS,
    this.registry,
  );
  readonly #hotReads = this.#counter(
    'polling_hot_reads_total',
    'Results reads answered from memory before routing (also in the request histogram)',
  );
  readonly #hotVotes = this.#counter(
    'polling_hot_votes_total',
    'Form votes answered before routing (also in the request histogram)',
  );
  readonly #accepted = this.#counter('polling_votes_accepted_total', 'Votes counted');
  readonly #refused = this.#counter(
    'polling_votes_refused_total',
    'Votes not counted, by reason',
    ['reason'],
  );
  readonly #batchSize = this.#histogram(
    'polling_vote_batch_size',
    'Ballots written by one group commit',
    BATCH_SIZES,
  );
  readonly #commit = this.#histogram(
    'polling_vote_commit_seconds',
    'Time to write and commit one batch of ballots',
    SECONDS,
  );
  readonly #query = this.#histogram(
    'polling_db_query_duration_seconds',
    "Time of the app's Kysely queries, by statement kind (SQLite's vote batches are timed whole)",
    SECONDS,
    ['kind'],
  );
  readonly #queryErrors = this.#counter(
    'polling_db_query_errors_total',
    'Database queries that failed, by statement kind',
    ['kind'],
  );
  readonly #liveReads = this.#counter(
    'polling_live_reads_total',
    'Results read for live subscribers: one per watched poll per interval',
  );
  readonly #livePushes = this.#counter(
    'polling_live_pushes_total',
    'Changed results pushed to the subscribers of a poll',
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every reason starts at zero, so that rates exist before the first refusal.
    for (const reason of REFUSALS) this.#refused.inc({ reason }, 0);
  }

  /** One observation per response; the route is the pattern, never the raw URL. */
  request(method: string, route: string, status: number, ms: number): void {
    if (this.#untimed.has(route)) return;
    this.#http.observe(method, route, status, ms / 1000);
  }

  /** Leaves a route out of the latency histogram (long-lived streams). */
  untimed(route: string): void {
    this.#untimed.add(route);
  }

  vote(tally: VoteTally): void {
    if (tally === 'accepted') this.#accepted.inc();
    else this.#refused.inc({ reason: tally });
  }

  batch(size: number, ms: number): void {
    this.#batchSize.observe(size);
    this.#commit.observe(ms / 1000);
  }

  /** Kysely's `log` hook: every query's duration, and its failure. */
  readonly queryLog = (event: LogEvent): void => {
    const kind = queryKind(event.query.sql);
    this.#query.observe({ kind }, event.queryDurationMillis / 1000);
    if (event.level === 'error') this.#queryErrors.inc({ kind });
  };

  /** A results read answered by the hot-read lane, before routing. */
  hotRead(): void {
    this.#hotReads.inc();
  }

  /** A form vote answered by the hot-vote lane, before routing. */
  hotVote(): void {
    this.#hotVotes.inc();
  }

  liveRead(): void {
    this.#liveReads.inc();
  }

  livePush(): void {
    this.#livePushes.inc();
  }

  /** Gauges read when scraped, from the parts built after the metrics. */
  watch(sources: MetricSources): void {
    new Gauge({
      name: 'polling_db_pool_connections',
      help: 'Database connections by state (SQLite: one connection, always in use)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const stats = sources.pool();
        this.set({ state: 'in_use' }, stats.inUse);
        this.set({ state: 'idle' }, stats.idle);
      },
    });
    this.#gauge(
      'polling_db_pool_waiting',
      'Queries waiting for a connection',
      () => sources.pool().waiting,
    );
    this.#gauge('polling_vote_queue_length', 'Votes waiting for a batch', () =>
      sources.queuedVotes(),
    );
    this.#gauge(
      'polling_live_subscribers',
      'Open live-results streams',
      () => sources.live().subscribers,
    );
    this.#gauge(
      'polling_live_polls',
      'Polls with live subscribers',
      () => sources.live().polls,
    );
  }

  #histogram<L extends string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: L[] = [],
  ) {
    return new Histogram<L>({
      name,
      help,
      buckets,
      labelNames,
      registers: [this.registry],
    });
  }

  #counter<L extends string>(name: string, help: string, labelNames: L[] = []) {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  #gauge(name: string, help: string, read: () => number) {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}

/** The statement's first word, from a fixed set so that the label stays small. */
function queryKind(sql: string): string {
  const word = sql.slice(0, 6).toLowerCase();
  return QUERY_KINDS.has(word) ? word : 'other';
}
