import { parseDatabaseUrl } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import type { Vote } from './load.js';

export interface Audit {
  ballots: number;
  /** sum(options.votes): the running counters the results page shows. */
  counted: number;
  /** Votes never acknowledged (the client gave up) that landed anyway. */
  unacknowledgedButStored: number;
  /** Everything that breaks exactly-once; empty when the run was clean. */
  problems: string[];
}

const MAX_LISTED = 5;

/**
 * Compares what the clients were told with what the database holds, for
 * the default poll: every acknowledged vote is stored with its choice, no
 * voter is stored twice, the counters agree with the ballots, and nothing
 * is stored that no client sent.
 */
export async function auditVotes(databaseUrl: string, votes: Vote[]): Promise<Audit> {
  const { db } = openDatabase(parseDatabaseUrl(databaseUrl));
  try {
    const poll = await db
      .selectFrom('polls')
      .select(['id', 'ballot_count'])
      .where('slug', '=', 'default')
      .executeTakeFirstOrThrow();
    const ballots = await db
      .selectFrom('ballots')
      .select(['voter_id', 'choices'])
      .where('poll_id', '=', poll.id)
      .execute();
    const options = await db
      .selectFrom('options')
      .select('votes')
      .where('poll_id', '=', poll.id)
      .execute();
    const counted = options.reduce((sum, o) => sum + Number(o.votes), 0);
    return {
      ballots: ballots.length,
      counted,
      unacknowledgedButStored: unacknowledgedStored(votes, ballots),
      problems: [
        ...countProblems(ballots.length, counted, Number(poll.ballot_count)),
        ...compare(votes, ballots),
      ],
    };
  } finally {
    await db.destroy();
  }
}

interface Ballot {
  voter_id: string;
  choices: string;
}

function countProblems(ballots: number, counted: number, ballotCount: number): string[] {
  const problems: string[] = [];
  if (counted !== ballots) {
    problems.push(`options count ${counted} votes but ${ballots} ballots are stored`);
  }
  if (ballotCount !== ballots) {
    problems.push(
      `polls.ballot_count is ${ballotCount} but ${ballots} ballots are stored`,
    );
  }
  return problems;
}

function compare(votes: Vote[], ballots: Ballot[]): string[] {
  const sent = new Map(votes.map((v) => [v.voterId, v]));
  const stored = new Map<string, Ballot>();
  const twice: string[] = [];
  const unknown: string[] = [];
  const wrongChoice: string[] = [];
  for (const ballot of ballots) {
    if (stored.has(ballot.voter_id)) twice.push(ballot.voter_id);
    stored.set(ballot.voter_id, ballot);
    const vote = sent.get(ballot.voter_id);
    if (!vote) unknown.push(ballot.voter_id);
    else if (ballot.choices !== String(vote.choice)) {
      wrongChoice.push(
        `${ballot.voter_id} chose ${vote.choice}, stored ${ballot.choices}`,
      );
    }
  }
  const acknowledged = votes.filter(
    (v) => v.result === 'counted' || v.result === 'counted-earlier',
  );
  const lost = acknowledged.filter((v) => !stored.has(v.voterId));
  const refused = votes.filter((v) => v.result === 'refused');
  return [
    ...listed('acknowledged votes missing from the database', lost.map(describe)),
    ...listed('voters stored twice', twice),
    ...listed('ballots no client sent', unknown),
    ...listed('ballots with another choice than sent', wrongChoice),
    ...listed('votes refused with a 4xx other than 409', refused.map(describe)),
  ];
}

function unacknowledgedStored(votes: Vote[], ballots: Ballot[]): number {
  const stored = new Set(ballots.map((b) => b.voter_id));
  return votes.filter((v) => v.result === 'gave-up' && stored.has(v.voterId)).length;
}

function describe(vote: Vote): string {
  return `${vote.voterId} (${vote.via}, ${vote.result}${vote.detail ? `: ${vote.detail}` : ''})`;
}

function listed(what: string, items: string[]): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, MAX_LISTED).join('; ');
  return [`${items.length} ${what}: ${shown}${items.length > MAX_LISTED ? '; …' : ''}`];
}
