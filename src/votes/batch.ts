import type { Database as Sqlite } from 'better-sqlite3';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from '../db/database.js';
import { isConflict, isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { writeInTwoTrips } from './mysql-batch.js';
import { SqliteBatch } from './sqlite-batch.js';
import { tally } from './tally.js';

export type VoteOutcome = 'accepted' | 'duplicate' | 'closed';

export interface BallotDraft {
  pollId: number;
  voterId: string;
  /** Option ids, ascending, comma-separated. */
  choices: string;
  /** Random per vote, so a replay of this very ballot is recognised. */
  nonce: string;
  createdAt: number;
}

type Trx = Transaction<Database>;

export interface BatchResult {
  /** Each ballot's outcome, in the order given. */
  outcomes: VoteOutcome[];
  /**
   * The ballots this very commit stored, which are new votes in the counts.
   * A replayed ballot whose first try landed is `accepted` but not here: an
   * earlier commit counted it.
   */
  counted: BallotDraft[];
}

/** Writes one batch of ballots in one transaction; see writeBatch. */
export type BatchWrite = (drafts: BallotDraft[]) => Promise<BatchResult>;

/**
 * The batch writer for a database: prepared statements on SQLite
 * (sqlite-batch.ts), Kysely's queries elsewhere. SQLite's statements go
 * through Kysely's connection, which holds them apart from every other
 * query on the one connection.
 */
export function batchWriter(database: {
  db: Kysely<Database>;
  dialect: Dialect;
  sqlite?: Sqlite;
}): BatchWrite {
  const { db, dialect, sqlite } = database;
  if (!sqlite) return (drafts) => writeBatch(db, dialect, drafts);
  const batch = new SqliteBatch(sqlite);
  return (drafts) => db.connection().execute(async () => batch.write(drafts));
}

/**
 * Records a batch of ballots in one transaction, so one durable commit covers
 * them all, and returns each ballot's outcome in order. The unique key on
 * (poll_id, voter_id) decides duplicates, across every instance.
 */
export async function writeBatch(
  db: Kysely<Database>,
  dialect: Dialect,
  drafts: BallotDraft[],
): Promise<BatchResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Another writer inserted one of these voters since we looked, or
      // collided with us: redo the batch a row at a time, so each ballot
      // learns its own outcome.
      const rowByRow = attempt > 1;
      if (!rowByRow && dialect === 'mysql' && (await writeInTwoTrips(db, drafts))) {
        return { outcomes: drafts.map(() => 'accepted'), counted: drafts };
      }
      return await db
        .transaction()
        .execute((trx) => write(trx, dialect, drafts, rowByRow));
    } catch (err) {
      const retry = isUniqueViolation(err) || (isConflict(err) && attempt < MAX_ATTEMPTS);
      if (!retry) throw err;
    }
  }
}

const MAX_ATTEMPTS = 4;

/**
 * The fast path inserts the batch in one statement and lets the unique key
 * object; the slow path (after a duplicate, or a collision) looks each voter
 * up first and inserts row by row, so every ballot learns its own outcome.
 */
async function write(
  trx: Trx,
  dialect: Dialect,
  drafts: BallotDraft[],
  rowByRow: boolean,
): Promise<BatchResult> {
  // On the fast path every ballot of an open poll inserts (or the batch
  // starts over), so the poll's count is added in the statement that locks it.
  const open = await lockOpenPolls(
    trx,
    drafts,
    rowByRow ? undefined : ballotsPerPoll(drafts),
  );
  const existing = rowByRow ? await existingBallots(trx, drafts) : new Map();
  const outcomes: VoteOutcome[] = [];
  const fresh: number[] = [];

  for (const [i, draft] of drafts.entries()) {
    const found = existing.get(keyOf(draft));
    if (found) outcomes.push(isSameBallot(found, draft) ? 'accepted' : 'duplicate');
    else if (!open.has(draft.pollId)) outcomes.push('closed');
    else {
      outcomes.push('accepted');
      fresh.push(i);
    }
  }

  const rows = fresh.map((i) => drafts[i] as BallotDraft);
  const inserted = rowByRow
    ? await insertEach(trx, dialect, rows)
    : await insertAll(trx, rows);
  fresh.forEach((draftIndex, i) => {
    if (!inserted[i]) outcomes[draftIndex] = 'duplicate';
  });
  const counted = rows.filter((_, i) => inserted[i]);
  await addToOptions(trx, counted);
  if (rowByRow) await addToPolls(trx, ballotsPerPoll(counted));
  return { outcomes, counted };
}

function keyOf(d: { pollId: number; voterId: string }) {
  return `${d.pollId}:${d.voterId}`;
}

/**
 * A stored ballot with our nonce is ours: an earlier
 * attempt committed but its answer was lost with the connection.
 */
function isSameBallot(found: { nonce: string }, draft: BallotDraft) {
  return found.nonce === draft.nonce;
}

/**
 * Locks the batch's poll rows, in id order, by updating them; only polls
 * still taking votes match. `add` is added to their ballot counts. Taking
 * the poll row first matters: inserting a ballot share-locks its poll (the
 * foreign key) and the batch updates that row, so two writers that locked
 * it later could deadlock. On SQLite the update takes the write lock, which
 * waits (busy_timeout) where a read-then-write transaction would fail.
 */
async function lockOpenPolls(trx: Trx, drafts: BallotDraft[], add?: Map<number, number>) {
  const now = Date.now();
  const open = new Set<number>();
  for (const id of pollIdsOf(drafts)) {
    const result = await lockPoll(trx, id, add?.get(id) ?? 0, now).executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) open.add(id);
  }
  return open;
}

/** The polls of a batch in id order, the order their rows are locked in. */
function pollIdsOf(drafts: BallotDraft[]): number[] {
  return unique(drafts.map((d) => d.pollId)).sort((a, b) => a - b);
}

/** Locks a poll's row if it still takes votes, adding `add` to its ballot count. */
function lockPoll(db: Kysely<Database>, id: number, add: number, now: number) {
  return db
    .updateTable('polls')
    .set({ ballot_count: sql`ballot_count + ${add}` })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .where((eb) => eb.or([eb('closes_at', 'is', null), eb('closes_at', '>', now)]));
}

function ballotsPerPoll(ballots: BallotDraft[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const b of ballots) counts.set(b.pollId, (counts.get(b.pollId) ?? 0) + 1);
  return counts;
}

async function existingBallots(trx: Trx, drafts: BallotDraft[]) {
  const rows = await trx
    .selectFrom('ballots')
    .select(['poll_id', 'voter_id', 'nonce'])
    .where('poll_id', 'in', unique(drafts.map((d) => d.pollId)))
    .where('voter_id', 'in', unique(drafts.map((d) => d.voterId)))
    .execute();
  const byKey = new Map<string, { nonce: string }>();
  for (const r of rows) {
    byKey.set(keyOf({ pollId: Number(r.poll_id), voterId: r.voter_id }), {
      nonce: r.nonce,
    });
  }
  return byKey;
}

async function insertAll(trx: Trx, fresh: BallotDraft[]): Promise<boolean[]> {
  if (fresh.length > 0)
    await trx.insertInto('ballots').values(fresh.map(toRow)).execute();
  return fresh.map(() => true);
}

async function insertEach(trx: Trx, dialect: Dialect, fresh: BallotDraft[]) {
  const inserted: boolean[] = [];
  for (const draft of fresh) {
    const insert = trx.insertInto('ballots').values(toRow(draft));
    const result = await (dialect === 'mysql'
      ? insert.ignore()
      : insert.onConflict((oc) => oc.columns(['poll_id', 'voter_id']).doNothing())
    ).executeTakeFirst();
    inserted.push(Number(result.numInsertedOrUpdatedRows ?? 0) > 0);
  }
  return inserted;
}

function toRow(d: BallotDraft) {
  return {
    poll_id: d.pollId,
    voter_id: d.voterId,
    choices: d.choices,
    nonce: d.nonce,
    created_at: d.createdAt,
  };
}

async function addToOptions(trx: Trx, ballots: BallotDraft[]) {
  for (const update of optionUpdates(trx, ballots)) await update.execute();
}

/** One UPDATE of the options per touched poll, in poll order. */
function optionUpdates(db: Kysely<Database>, ballots: BallotDraft[]) {
  return [...tally(ballots)]
    .sort((a, b) => a[0] - b[0])
    .map(([pollId, { options }]) => {
      // Literals, not parameters: PostgreSQL cannot type a parameter in THEN.
      const cases = [...options].map(
        ([id, n]) => sql`when ${sql.lit(id)} then ${sql.lit(n)}`,
      );
      return db
        .updateTable('options')
        .set({ votes: sql`votes + case id ${sql.join(cases, sql` `)} else 0 end` })
        .where('poll_id', '=', pollId)
        .where('id', 'in', [...options.keys()]);
    });
}

async function addToPolls(trx: Trx, counts: Map<number, number>) {
  for (const [pollId, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    await trx
      .updateTable('polls')
      .set({ ballot_count: sql`ballot_count + ${n}` })
      .where('id', '=', pollId)
      .execute();
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
