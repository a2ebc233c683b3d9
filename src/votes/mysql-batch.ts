import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { BallotDraft } from './batch.js';
import { tally } from './tally.js';

const LOCK_POLL =
  'UPDATE `polls` SET `ballot_count` = `ballot_count` + ? WHERE `id` = ?' +
  ' AND `closed_at` IS NULL AND (`closes_at` IS NULL OR `closes_at` > ?)';

/**
 * MySQL's fast path for a vote batch, in two round trips instead of five:
 * the transaction's statements (lock the polls, insert the ballots, add to
 * the options) go in one multi-statement script, then COMMIT. The script
 * stops at its first error, which is rolled back and thrown like the
 * general path's; when a poll turned out closed it rolls back and returns
 * false, and the batch takes the general path (batch.ts). Same statements,
 * same lock order as that path.
 *
 * The script's text depends only on the batch's shape (how many ballots,
 * how many options a poll gained), so each shape's text is built once and
 * only the parameters change: compiling the statements with Kysely for
 * every batch showed as a tenth of the vote path's time.
 */
export async function writeInTwoTrips(
  db: Kysely<Database>,
  drafts: BallotDraft[],
): Promise<boolean> {
  const now = Date.now();
  const polls = [...tally(drafts)].sort((a, b) => a[0] - b[0]);
  const statements: string[] = ['START TRANSACTION'];
  const parameters: unknown[] = [];

  for (const [pollId, { ballots }] of polls) {
    statements.push(LOCK_POLL);
    parameters.push(ballots, pollId, now);
  }
  statements.push(insertBallots(drafts.length));
  for (const d of drafts)
    parameters.push(d.pollId, d.voterId, d.choices, d.nonce, d.createdAt);
  for (const [pollId, { options }] of polls) {
    statements.push(addToOptions(options.size));
    for (const [optionId, votes] of options) parameters.push(optionId, votes);
    parameters.push(pollId, ...options.keys());
  }
  const script = CompiledQuery.raw(statements.join(';\n'), parameters);

  return db.connection().execute(async (connection) => {
    let results: Array<{ affectedRows?: number }>;
    try {
      results = (await connection.executeQuery(script)).rows as typeof results;
    } catch (err) {
      // writeBatch decides: a duplicate voter or a deadlock redoes the batch
      // row by row, as on the general path; anything else is the writer's.
      await connection.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => {});
      throw err;
    }
    // results[0] is START TRANSACTION's; then one per poll lock.
    const allOpen = polls.every((_, i) => results[i + 1]?.affectedRows === 1);
    await connection.executeQuery(CompiledQuery.raw(allOpen ? 'COMMIT' : 'ROLLBACK'));
    return allOpen;
  });
}

const inserts = new Map<number, string>();
const optionUpdates = new Map<number, string>();

/** `INSERT INTO ballots … VALUES` with `rows` rows of placeholders. */
function insertBallots(rows: number): string {
  let sql = inserts.get(rows);
  if (!sql) {
    sql =
      'INSERT INTO `ballots` (`poll_id`, `voter_id`, `choices`, `nonce`, `created_at`) VALUES ' +
      Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ');
    inserts.set(rows, sql);
  }
  return sql;
}

/** One poll's option counts, raised by `options` amounts in one UPDATE. */
function addToOptions(options: number): string {
  let sql = optionUpdates.get(options);
  if (!sql) {
    const list = (each: string) => Array.from({ length: options }, () => each);
    sql =
      'UPDATE `options` SET `votes` = `votes` + CASE `id` ' +
      `${list('WHEN ? THEN ?').join(' ')} ELSE 0 END` +
      ` WHERE \`poll_id\` = ? AND \`id\` IN (${list('?').join(', ')})`;
    optionUpdates.set(options, sql);
  }
  return sql;
}
