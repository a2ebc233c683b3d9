import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isManager } from './manage.js';
import { isOpen, type Poll } from './model.js';
import { hasVoted } from './repository.js';

/** Who is asking: the voter cookie's id and a management token, when they came with one. */
export interface Viewer {
  voterId?: string;
  manageToken?: string;
  /** Known to have voted (they just did): saves the ballot lookup. */
  voted?: boolean;
}

export type HiddenReason = 'after_vote' | 'after_close';

/**
 * Why this viewer may not see the results yet, or undefined when they may.
 * Once a poll closes everyone sees them: nobody can vote any more to earn it.
 * The common case (results always shown) costs no query.
 */
export async function hiddenResultsReason(
  db: Kysely<Database>,
  poll: Poll,
  viewer: Viewer,
  now = Date.now(),
): Promise<HiddenReason | undefined> {
  if (visibleToAll(poll, now)) return undefined;
  if (await isManager(db, poll.id, viewer.manageToken)) return undefined;
  if (poll.resultsVisibility === 'after_close') return 'after_close';
  if (viewer.voted) return undefined;
  if (viewer.voterId && (await hasVoted(db, poll.id, viewer.voterId))) return undefined;
  return 'after_vote';
}

/** Results anyone may see, whoever asks: no cookie or token to check. */
export function visibleToAll(poll: Poll, now = Date.now()): boolean {
  return poll.resultsVisibility === 'always' || !isOpen(poll, now);
}

export const HIDDEN_MESSAGES: Record<HiddenReason, string> = {
  after_vote: 'the results of this poll are shown to those who have voted',
  after_close: 'the results of this poll are shown once it closes',
};
