export type PollKind = 'single' | 'multiple';
export type ResultsVisibility = 'always' | 'after_vote' | 'after_close';

export interface PollOption {
  id: number;
  label: string;
}

export interface Poll {
  id: number;
  slug: string;
  title: string;
  question: string;
  kind: PollKind;
  maxChoices: number;
  resultsVisibility: ResultsVisibility;
  isPublic: boolean;
  closesAt: number | null;
  closedAt: number | null;
  createdAt: number;
  options: PollOption[];
}

export interface OptionResult extends PollOption {
  votes: number;
}

export interface Results {
  options: OptionResult[];
  /** Ballots cast; with multiple choice this is less than the sum of the option counts. */
  ballots: number;
  /** Sum of the option counts. */
  total: number;
}

/** A poll as lists show it: no options, and its number of voters. */
export type PollSummary = Omit<Poll, 'options'> & { ballots: number };

/** What a poll may hold; the columns are sized to match. */
export const POLL_LIMITS = {
  questionLength: 500,
  optionLength: 200,
  minOptions: 2,
  maxOptions: 20,
} as const;

/** The slug of the poll seeded from the original app's seed file. */
export const DEFAULT_POLL_SLUG = 'default';

export function isOpen(
  poll: Pick<Poll, 'closesAt' | 'closedAt'>,
  now = Date.now(),
): boolean {
  return poll.closedAt === null && (poll.closesAt === null || poll.closesAt > now);
}
