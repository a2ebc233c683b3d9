import { type Kysely, sql } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import type { ValidPoll } from './draft.js';
import { insertPoll } from './repository.js';
import { hashToken, newManageToken, newSlug, tokenMatches } from './tokens.js';

const SLUG_ATTEMPTS = 5;
const TITLE_LENGTH = 200;

export interface CreatedPoll {
  slug: string;
  /** The management token in clear: returned once, never stored. */
  manageToken: string;
}

/** Stores a checked poll under a fresh random slug with a fresh management token. */
export async function createPoll(
  db: Kysely<Database>,
  poll: ValidPoll,
): Promise<CreatedPoll> {
  const manageToken = newManageToken();
  for (let attempt = 1; ; attempt++) {
    const slug = newSlug();
    try {
      await insertPoll(db, {
        ...poll,
        slug,
        title: [...poll.question].slice(0, TITLE_LENGTH).join(''),
        manageTokenHash: hashToken(manageToken),
      });
      return { slug, manageToken };
    } catch (err) {
      // 62^8 slugs make a clash rare; a few fresh draws make a repeat unthinkable.
      if (!isUniqueViolation(err) || attempt >= SLUG_ATTEMPTS) throw err;
    }
  }
}

/**
 * Whether `token` manages this poll. Read from the database each time, not
 * the cache: management is rare and must see a deletion at once. A poll
 * without a hash (the seeded one) has no manager.
 */
export async function isManager(
  db: Kysely<Database>,
  pollId: number,
  token: string | undefined,
): Promise<boolean> {
  if (!token) return false;
  const row = await db
    .selectFrom('polls')
    .select('manage_token_hash')
    .where('id', '=', pollId)
    .executeTakeFirst();
  return tokenMatches(row?.manage_token_hash ?? null, token);
}

/** Stops the votes; closing a closed poll keeps its first closing time. */
export async function closePoll(db: Kysely<Database>, pollId: number, now = Date.now()) {
  await db
    .updateTable('polls')
    .set({ closed_at: now })
    .where('id', '=', pollId)
    .where('closed_at', 'is', null)
    .execute();
}

/** Takes votes again; a closing time already past is dropped, or reopening would not. */
export async function reopenPoll(db: Kysely<Database>, pollId: number, now = Date.now()) {
  await db
    .updateTable('polls')
    .set({
      closed_at: null,
      closes_at: sql<
        number | null
      >`case when closes_at <= ${now} then null else closes_at end`,
    })
    .where('id', '=', pollId)
    .execute();
}

/** Deletes a poll with its options and ballots, children first, in one transaction. */
export async function deletePoll(db: Kysely<Database>, pollId: number) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('ballots').where('poll_id', '=', pollId).execute();
    await trx.deleteFrom('options').where('poll_id', '=', pollId).execute();
    await trx.deleteFrom('polls').where('id', '=', pollId).execute();
  });
}
