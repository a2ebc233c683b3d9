import type { Kysely } from 'kysely';
import { LoadingCache } from '../cache.js';
import type { Database } from '../db/schema.js';
import type { Poll, Results } from './model.js';
import { findPoll, readResults } from './repository.js';

/**
 * Polls and their results as the pages and the API read them: from memory,
 * at most `maxAgeMs` old, so that readers cost the database one query per
 * poll per interval however many of them there are. Votes committed here
 * refresh the results at once; votes on other instances within `maxAgeMs`.
 */
export class PollStore {
  readonly #polls: LoadingCache<string, Poll | undefined>;
  readonly #results: LoadingCache<number, Results>;

  constructor(db: Kysely<Database>, maxAgeMs = 1000) {
    this.#polls = new LoadingCache((slug) => findPoll(db, slug), maxAgeMs);
    this.#results = new LoadingCache((id) => readResults(db, id), maxAgeMs);
  }

  bySlug(slug: string): Promise<Poll | undefined> {
    return this.#polls.get(slug);
  }

  results(pollId: number): Promise<Results> {
    return this.#results.get(pollId);
  }

  /** Call after a poll changed (closed, reopened, deleted). */
  forget(slug: string, pollId: number): void {
    this.#polls.delete(slug);
    this.#results.delete(pollId);
  }

  votesCommitted(pollIds: number[]): void {
    for (const id of pollIds) this.#results.invalidate(id);
  }
}
