import type { DbKind } from '../options.js';

/**
 * The bench's own line to a database the app is running on: just enough SQL to
 * empty it, audit it and fill it, without going through the app's code.
 */
export interface BenchDb {
  kind: DbKind;
  /** What the app gets as DATABASE_URL. */
  appUrl: string;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Removes every table, so the next app start migrates and seeds afresh. */
  empty(): Promise<void>;
  /** Column names of a table, in order. */
  columns(table: string): Promise<string[]>;
  insertSequence(seq: BallotSequence): Promise<void>;
  close(): Promise<void>;
}

/** Ballots for voters bench-<from>..bench-<to>, each choosing option (n % options) + 1. */
export interface BallotSequence {
  pollId: number;
  from: number;
  to: number;
  options: number;
  /** Fill the ballots.nonce column (the schema has one). */
  nonce: boolean;
}
