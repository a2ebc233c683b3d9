import type { BenchDb } from './bench-db.js';

export interface PollCounts {
  /** Rows in ballots for the poll. */
  rows: number;
  /** Sum of options.votes for the poll. */
  votes: number;
  /** polls.ballot_count, the app's running ballot counter. */
  ballotCount: number;
}

export async function pollId(db: BenchDb, slug: string): Promise<number> {
  const rows = await db.all<{ id: number }>('SELECT id FROM polls WHERE slug = ?', [
    slug,
  ]);
  const id = rows[0]?.id;
  if (id === undefined)
    throw new Error(`poll '${slug}' not found in the ${db.kind} database`);
  return Number(id);
}

export async function optionIds(db: BenchDb, slug: string): Promise<number[]> {
  const id = await pollId(db, slug);
  const rows = await db.all<{ id: number }>(
    'SELECT id FROM options WHERE poll_id = ? ORDER BY id',
    [id],
  );
  return rows.map((r) => Number(r.id));
}

/** Deletes the poll's ballots and zeroes its counters. */
export async function resetPoll(db: BenchDb, slug: string): Promise<void> {
  const id = await pollId(db, slug);
  await db.run('DELETE FROM ballots WHERE poll_id = ?', [id]);
  await db.run('UPDATE options SET votes = 0 WHERE poll_id = ?', [id]);
  await db.run('UPDATE polls SET ballot_count = 0 WHERE id = ?', [id]);
}

export async function countPoll(db: BenchDb, slug: string): Promise<PollCounts> {
  const id = await pollId(db, slug);
  const [ballots] = await db.all<{ n: number }>(
    'SELECT COUNT(*) AS n FROM ballots WHERE poll_id = ?',
    [id],
  );
  const [options] = await db.all<{ n: number | null }>(
    'SELECT SUM(votes) AS n FROM options WHERE poll_id = ?',
    [id],
  );
  const [poll] = await db.all<{ n: number }>(
    'SELECT ballot_count AS n FROM polls WHERE id = ?',
    [id],
  );
  return {
    rows: Number(ballots?.n ?? 0),
    votes: Number(options?.n ?? 0),
    ballotCount: Number(poll?.n ?? 0),
  };
}

/**
 * Adds `count` single-choice ballots to the poll straight in the database, spread
 * evenly over its options, and raises the counters to match, so the app sees a
 * poll that had that many votes. Load while the app is stopped: it may cache.
 */
export async function loadBallots(
  db: BenchDb,
  slug: string,
  count: number,
): Promise<void> {
  const id = await pollId(db, slug);
  const options = (await optionIds(db, slug)).length;
  const nonce = await checkBallotColumns(db);
  const chunk = 100_000;
  const start = await nextVoterNumber(db, id);

  for (let from = start; from < start + count; from += chunk) {
    const to = Math.min(from + chunk - 1, start + count - 1);
    await db.insertSequence({ pollId: id, from, to, options, nonce });
  }
  for (let option = 1; option <= options; option++) {
    const added = countCongruent(start, start + count - 1, options, option - 1);
    await db.run('UPDATE options SET votes = votes + ? WHERE poll_id = ? AND id = ?', [
      added,
      id,
      option,
    ]);
  }
  await db.run('UPDATE polls SET ballot_count = ballot_count + ? WHERE id = ?', [
    count,
    id,
  ]);
}

const KNOWN_COLUMNS = ['id', 'poll_id', 'voter_id', 'choices', 'created_at', 'nonce'];

/** Fails on a ballots column the loader cannot fill; tells whether there is a nonce. */
async function checkBallotColumns(db: BenchDb): Promise<boolean> {
  const columns = await db.columns('ballots');
  const unknown = columns.filter((c) => !KNOWN_COLUMNS.includes(c));
  if (unknown.length > 0) {
    throw new Error(
      `ballots has columns the bench loader cannot fill: ${unknown.join(', ')} ` +
        '(teach bench/db/poll-data.ts and the insertSequence of each database)',
    );
  }
  return columns.includes('nonce');
}

/** Voter numbers continue after any earlier load, so repeated loads never collide. */
async function nextVoterNumber(db: BenchDb, id: number): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    "SELECT COUNT(*) AS n FROM ballots WHERE poll_id = ? AND voter_id LIKE 'bench-%'",
    [id],
  );
  return Number(row?.n ?? 0) + 1;
}

/** How many n in [from, to] have n % modulus === remainder. */
export function countCongruent(
  from: number,
  to: number,
  modulus: number,
  remainder: number,
): number {
  const upTo = (x: number) =>
    x < remainder ? 0 : Math.floor((x - remainder) / modulus) + 1;
  return upTo(to) - upTo(from - 1);
}
