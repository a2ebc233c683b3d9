import type { BallotDraft } from './batch.js';

/** Per poll: its new ballots and the votes each option gained. */
export function tally(ballots: BallotDraft[]) {
  const polls = new Map<number, { ballots: number; options: Map<number, number> }>();
  for (const b of ballots) {
    let poll = polls.get(b.pollId);
    if (!poll) {
      poll = { ballots: 0, options: new Map() };
      polls.set(b.pollId, poll);
    }
    poll.ballots++;
    for (const id of b.choices.split(',')) {
      const optionId = Number(id);
      poll.options.set(optionId, (poll.options.get(optionId) ?? 0) + 1);
    }
  }
  return polls;
}
