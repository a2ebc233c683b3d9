import type { Generated } from 'kysely';

/** Times are epoch milliseconds, so every dialect stores and compares them alike. */
export interface PollTable {
  id: Generated<number>;
  slug: string;
  title: string;
  question: string;
  /** 'single' or 'multiple' */
  kind: string;
  max_choices: number;
  /** 'always', 'after_vote' or 'after_close' */
  results_visibility: string;
  is_public: number;
  closes_at: number | null;
  closed_at: number | null;
  manage_token_hash: string | null;
  /** Running count of ballots, kept with the option counters in one transaction. */
  ballot_count: Generated<number>;
  created_at: number;
}

export interface OptionTable {
  poll_id: number;
  /** 1..N within its poll, in the order the options were given. */
  id: number;
  label: string;
  /** Running count of choices, so reading results never scans the ballots. */
  votes: number;
}

export interface BallotTable {
  id: Generated<number>;
  poll_id: number;
  voter_id: string;
  /** Chosen option ids, comma-separated in ascending order. */
  choices: string;
  /** Random per attempt: tells a replay of our own committed ballot from another vote. */
  nonce: string;
  created_at: number;
}

export interface SettingTable {
  name: string;
  value: string;
}

export interface Database {
  polls: PollTable;
  options: OptionTable;
  ballots: BallotTable;
  app_settings: SettingTable;
}
