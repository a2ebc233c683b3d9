import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isTransient } from '../db/errors.js';
import type { VoteTally } from '../metrics/metrics.js';
import type { BallotDraft, BatchWrite, VoteOutcome } from './batch.js';

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
  /**
   * Told after each commit which polls it touched, the ballots it added to
   * the counts, and when (performance.now()) the batch began to be written:
   * a read of the counts finished before then cannot hold these ballots.
   */
  onCommit?: (pollIds: number[], counted: BallotDraft[], startedAt: number) => void;
  /** Told how every vote ended, and each batch's size and commit time. */
  metrics?: { vote(tally: VoteTally): void; batch(size: number, ms: number): void };
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
  readonly #write: BatchWrite;
  readonly #log: Logger;
  readonly #options: Required<Omit<VoteWriterOptions, 'onCommit' | 'metrics'>> &
    VoteWriterOptions;
  #queue: Pending[] = [];
  #inFlight = 0;
  #pausedUntil = 0;
  #resumeTimer: NodeJS.Timeout | undefined;
  #scheduled = false;
  #idle: Array<() => void> = [];

  constructor(write: BatchWrite, log: Logger, options: VoteWriterOptions) {
    this.#write = write;
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
        nonce: randomUUID().replaceAll('-', ''),
        createdAt: now,
        giveUpAt: now + this.#options.retryMs,
        resolve,
        reject,
      });
      this.#schedule();
    });
  }

  /** Counts a vote refused before it reached the writer, so all are counted here. */
  refused(reason: 'invalid' | 'closed'): void {
    this.#options.metrics?.vote(reason);
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves once every submitted vote has been answered. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Starts the next batch after the current I/O phase, so every request read
   * from the sockets in this turn of the event loop joins it. Starting at
   * once would commit the first vote alone while the rest wait a whole commit.
   */
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
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
    const startedAt = performance.now();
    try {
      const { outcomes, counted } = await this.#write(batch);
      this.#options.metrics?.batch(batch.length, performance.now() - startedAt);
      const pollIds = [...new Set(batch.map((v) => v.pollId))];
      this.#options.onCommit?.(pollIds, counted, startedAt);
      for (const [i, vote] of batch.entries()) {
        const outcome = outcomes[i] as VoteOutcome;
        this.#options.metrics?.vote(outcome);
        vote.resolve(outcome);
      }
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
      for (const vote of batch) this.#fail(vote, err);
      return;
    }

    const retry = batch.filter((v) => v.giveUpAt > now);
    const expired = batch.filter((v) => v.giveUpAt <= now);
    this.#log.warn(
      { err, retrying: retry.length, failed: expired.length },
      'vote batch deferred',
    );
    for (const vote of expired) this.#fail(vote, new VotesUnavailableError(err));
    this.#queue = [...retry, ...this.#queue];
    this.#pausedUntil = now + 250;
  }

  #fail(vote: Pending, err: unknown) {
    this.#options.metrics?.vote('unavailable');
    vote.reject(err);
  }

  #notifyIfIdle() {
    if (this.#queue.length > 0 || this.#inFlight > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
