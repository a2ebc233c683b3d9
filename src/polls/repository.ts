import type { Kysely, Selectable } from 'kysely';
import type { Database, PollTable } from '../db/schema.js';
import type {
  Poll,
  PollKind,
  PollOption,
  PollSummary,
  Results,
  ResultsVisibility,
} from './model.js';

export interface NewPoll {
  slug: string;
  title: string;
  question: string;
  kind: PollKind;
  maxChoices: number;
  resultsVisibility: ResultsVisibility;
  isPublic: boolean;
  closesAt: number | null;
  manageTokenHash: string | null;
  options: string[];
}

/** Creates a poll and its options (ids 1..N in order) in one transaction. */
export async function insertPoll(db: Kysely<Database>, poll: NewPoll): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = {
      slug: poll.slug,
      title: poll.title,
      question: poll.question,
      kind: poll.kind,
      max_choices: poll.maxChoices,
      results_visibility: poll.resultsVisibility,
      is_public: poll.isPublic ? 1 : 0,
      closes_at: poll.closesAt,
      closed_at: null,
      manage_token_hash: poll.manageTokenHash,
      created_at: Date.now(),
    };
    await trx.insertInto('polls').values(row).execute();
    // Looked up by slug: MySQL cannot return the id, and the slug is unique.
    const { id } = await trx
      .selectFrom('polls')
      .select('id')
      .where('slug', '=', poll.slug)
      .executeTakeFirstOrThrow();
    const options = poll.options.map((label, i) => ({
      poll_id: id,
      id: i + 1,
      label,
      votes: 0,
    }));
    await trx.insertInto('options').values(options).execute();
    return id;
  });
}

export async function findPoll(
  db: Kysely<Database>,
  slug: string,
): Promise<Poll | undefined> {
  const row = await db
    .selectFrom('polls')
    .selectAll()
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!row) return undefined;

  const options = await db
    .selectFrom('options')
    .select(['id', 'label'])
    .where('poll_id', '=', row.id)
    .orderBy('id')
    .execute();
  return toPoll(row, options);
}

export function toPoll(row: Selectable<PollTable>, options: PollOption[]): Poll {
  return {
    id: Number(row.id),
    slug: row.slug,
    title: row.title,
    question: row.question,
    kind: row.kind as PollKind,
    maxChoices: Number(row.max_choices),
    resultsVisibility: row.results_visibility as ResultsVisibility,
    isPublic: Number(row.is_public) === 1,
    closesAt: row.closes_at === null ? null : Number(row.closes_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    createdAt: Number(row.created_at),
    options: options.map((o) => ({ id: Number(o.id), label: o.label })),
  };
}

/** Reads the running counters: two indexed lookups, however many ballots exist. */
export async function readResults(
  db: Kysely<Database>,
  pollId: number,
): Promise<Results> {
  const [options, poll] = await Promise.all([
    db
      .selectFrom('options')
      .select(['id', 'label', 'votes'])
      .where('poll_id', '=', pollId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('polls')
      .select('ballot_count')
      .where('id', '=', pollId)
      .executeTakeFirst(),
  ]);
  const counted = options.map((o) => ({
    id: Number(o.id),
    label: o.label,
    votes: Number(o.votes),
  }));
  return {
    options: counted,
    ballots: Number(poll?.ballot_count ?? 0),
    total: counted.reduce((sum, o) => sum + o.votes, 0),
  };
}

/** Whether this voter has a ballot in this poll: one lookup on the unique key. */
export async function hasVoted(
  db: Kysely<Database>,
  pollId: number,
  voterId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('ballots')
    .select('id')
    .where('poll_id', '=', pollId)
    .where('voter_id', '=', voterId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The newest public polls, newest first, read from the (is_public, created_at) index. */
export async function listRecentPolls(
  db: Kysely<Database>,
  limit: number,
): Promise<PollSummary[]> {
  const rows = await db
    .selectFrom('polls')
    .selectAll()
    .where('is_public', '=', 1)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const { options: _none, ...poll } = toPoll(row, []);
    return { ...poll, ballots: Number(row.ballot_count) };
  });
}
