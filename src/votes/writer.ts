import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Dialect } from '../db/database.js';
import { isTransient } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { type BallotDraft, type VoteOutcome, writeBatch } from './batch.js';

/** The database did not take the vote in time; the voter may retry. */
export class VotesUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the database is not taking votes right now', { cause });
  }
}

export interface VoteWriterOptions {
  /** How long a vote may wait for the database to come back before it fails. */
  retryMs: number;
  maxBatch?: number;
  /** Batches in flight at once. */
  concurrency?: number;
  onCommit?: (pollIds: number[]) => void;
}

interface Pending extends BallotDraft {
  giveUpAt: number;
  resolve: (outcome: VoteOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for votes. Votes that arrive while a batch is being written
 * wait for the next batch, so under load one durable commit answers many
 * voters, and with no load a vote is written at once. Each voter is answered
 * only after the commit that holds their ballot.
 */
export class VoteWriter {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;
  readonly #log: Logger;
  readonly #options: Required<Omit<VoteWriterOptions, 'onCommit'>> & VoteWriterOptions;
  #queue: Pending[] = [];
  #inFlight = 0;
  #pausedUntil = 0;
  #resumeTimer: NodeJS.Timeout | undefined;
  #idle: Array<() => void> = [];

  constructor(
    db: Kysely<Database>,
    dialect: Dialect,
    log: Logger,
    options: VoteWriterOptions,
  ) {
    this.#db = db;
    this.#dialect = dialect;
    this.#log = log;
    this.#options = { maxBatch: 500, concurrency: 1, ...options };
  }

  submit(pollId: number, voterId: string, choices: number[]): Promise<VoteOutcome> {
    return new Promise((resolve, reject) => {
      const now = Date.now();
      this.#queue.push({
        pollId,
        voterId,
        choices: [...choices].sort((a, b) => a - b).join(','),
        createdAt: now,
        giveUpAt: now + this.#options.retryMs,
        resolve,
        reject,
      });
      this.#pump();
    });
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves once every submitted vote has been answered. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump() {
    while (this.#queue.length > 0 && this.#inFlight < this.#options.concurrency) {
      const wait = this.#pausedUntil - Date.now();
      if (wait > 0) {
        this.#resumeTimer ??= setTimeout(() => {
          this.#resumeTimer = undefined;
          this.#pump();
        }, wait);
        return;
      }
      this.#inFlight++;
      void this.#commit(this.#takeBatch()).finally(() => {
        this.#inFlight--;
        this.#pump();
        this.#notifyIfIdle();
      });
    }
  }

  /** The oldest votes, one per voter and poll; a voter's second vote waits a batch. */
  #takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const keys = new Set<string>();
    for (const vote of this.#queue) {
      const key = `${vote.pollId}:${vote.voterId}`;
      if (batch.length < this.#options.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(vote);
      } else rest.push(vote);
    }
    this.#queue = rest;
    return batch;
  }

  async #commit(batch: Pending[]) {
    try {
      const outcomes = await writeBatch(this.#db, this.#dialect, batch);
      this.#options.onCommit?.([...new Set(batch.map((v) => v.pollId))]);
      for (const [i, vote] of batch.entries()) vote.resolve(outcomes[i] as VoteOutcome);
    } catch (err) {
      this.#handleFailure(batch, err);
    }
  }

  /**
   * A transient failure puts the batch back and pauses writing briefly:
   * retrying is safe because the unique key makes a repeated ballot count
   * once. Votes past their deadline fail with VotesUnavailableError.
   */
  #handleFailure(batch: Pending[], err: unknown) {
    const now = Date.now();
    if (!isTransient(err)) {
      this.#log.error({ err, votes: batch.length }, 'vote batch failed');
      for (const vote of batch) vote.reject(err);
      return;
    }

    const retry = batch.filter((v) => v.giveUpAt > now);
    const expired = batch.filter((v) => v.giveUpAt <= now);
    this.#log.warn(
      { err, retrying: retry.length, failed: expired.length },
      'vote batch deferred',
    );
    for (const vote of expired) vote.reject(new VotesUnavailableError(err));
    this.#queue = [...retry, ...this.#queue];
    this.#pausedUntil = now + 250;
  }

  #notifyIfIdle() {
    if (this.#queue.length > 0 || this.#inFlight > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
