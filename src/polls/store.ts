import type { Kysely } from 'kysely';
import { LoadingCache } from '../cache.js';
import { isTransient } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import type { Poll, PollSummary, Results } from './model.js';
import { findPoll, listRecentPolls, readResults } from './repository.js';

/** Recent polls are read this many at a time; lists take a slice. */
const RECENT_POLLS = 100;

/**
 * Polls and their results as the pages and the API read them: from memory,
 * at most `maxAgeMs` old, so that readers cost the database one query per
 * poll per interval however many of them there are. Votes committed here
 * refresh the results at once; votes on other instances within `maxAgeMs`.
 */
export class PollStore {
  readonly #polls: LoadingCache<string, Poll | undefined>;
  readonly #results: LoadingCache<number, Results>;
  readonly #recent: LoadingCache<'recent', PollSummary[]>;

  constructor(db: Kysely<Database>, maxAgeMs = 1000) {
    // While the database is away, readers get the last values they saw.
    this.#polls = new LoadingCache((slug) => findPoll(db, slug), maxAgeMs, isTransient);
    this.#results = new LoadingCache((id) => readResults(db, id), maxAgeMs, isTransient);
    this.#recent = new LoadingCache(
      () => listRecentPolls(db, RECENT_POLLS),
      maxAgeMs,
      isTransient,
    );
  }

  bySlug(slug: string): Promise<Poll | undefined> {
    return this.#polls.get(slug);
  }

  results(pollId: number): Promise<Results> {
    return this.#results.get(pollId);
  }

  /** The poll if it is in memory and fresh, without waiting for the database. */
  cachedPoll(slug: string): Poll | undefined {
    return this.#polls.peek(slug);
  }

  /** The results if they are in memory and fresh, without waiting for the database. */
  cachedResults(pollId: number): Results | undefined {
    return this.#results.peek(pollId);
  }

  /**
   * Results read from the database now, for the live hub's one read per
   * interval; the pages then share that read instead of making their own.
   */
  freshResults(pollId: number): Promise<Results> {
    this.#results.invalidate(pollId);
    return this.#results.get(pollId);
  }

  /** The newest public polls, newest first, at most 100. */
  async recent(limit: number): Promise<PollSummary[]> {
    return (await this.#recent.get('recent')).slice(0, limit);
  }

  /** Call after a poll changed (closed, reopened, deleted). */
  forget(slug: string, pollId: number): void {
    this.#polls.delete(slug);
    this.#results.delete(pollId);
    this.#recent.invalidate('recent');
  }

  /** Call after a poll was created, so this instance lists it at once. */
  pollCreated(): void {
    this.#recent.invalidate('recent');
  }

  /**
   * Votes this process committed: `counted` are the ballots the commit
   * stored, and `since` (performance.now()) when it began. They are added to
   * results in memory read before then, which saves reading the counts again
   * after every batch; results that may hold them already are read again.
   */
  votesCommitted(
    pollIds: number[],
    counted: Array<{ pollId: number; choices: string }>,
    since: number,
  ) {
    for (const id of pollIds) {
      const ballots = counted.filter((b) => b.pollId === id);
      this.#results.update(id, (results) => withBallots(results, ballots), since);
    }
  }
}

/**
 * The results with these ballots added (choices as the writer keeps them:
 * option ids, comma-separated), or undefined if one names an option the
 * results do not have.
 */
export function withBallots(
  results: Results,
  ballots: Array<{ choices: string }>,
): Results | undefined {
  const added = new Map<number, number>();
  for (const ballot of ballots) {
    for (const id of ballot.choices.split(',')) {
      added.set(Number(id), (added.get(Number(id)) ?? 0) + 1);
    }
  }
  let total = results.total;
  let matched = 0;
  const options = results.options.map((option) => {
    const n = added.get(option.id);
    if (!n) return option;
    matched++;
    total += n;
    return { ...option, votes: option.votes + n };
  });
  if (matched !== added.size) return undefined;
  return { options, ballots: results.ballots + ballots.length, total };
}
