import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { DEFAULT_POLL_SLUG } from './model.js';
import { findPoll, insertPoll } from './repository.js';

/** The original app's seed format: `{"poll", "question", "options": [...]}`. */
export interface SeedPoll {
  poll: string;
  question: string;
  options: string[];
}

export async function readSeedFile(path: string): Promise<SeedPoll> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(
      `seed file ${path} could not be read as JSON: ${(err as Error).message}`,
    );
  }
  const seed = data as Partial<SeedPoll>;
  const options = seed.options;
  const validOptions =
    Array.isArray(options) &&
    options.length >= 2 &&
    options.every((o) => typeof o === 'string' && o.trim() !== '');
  if (typeof seed.question !== 'string' || !seed.question.trim() || !validOptions) {
    throw new Error(
      `seed file ${path} needs "question" (text) and "options" (two or more texts)`,
    );
  }
  return { poll: String(seed.poll ?? seed.question), question: seed.question, options };
}

/**
 * Creates the default poll unless it exists. Instances seeding together race
 * on the unique slug: the loser sees the winner's poll and is done.
 */
export async function seedDefaultPoll(
  db: Kysely<Database>,
  seed: SeedPoll,
): Promise<boolean> {
  if (await findPoll(db, DEFAULT_POLL_SLUG)) return false;
  try {
    await insertPoll(db, {
      slug: DEFAULT_POLL_SLUG,
      title: seed.poll,
      question: seed.question,
      kind: 'single',
      maxChoices: 1,
      resultsVisibility: 'always',
      isPublic: true,
      closesAt: null,
      manageTokenHash: null,
      options: seed.options,
    });
    return true;
  } catch (err) {
    if (isUniqueViolation(err) && (await findPoll(db, DEFAULT_POLL_SLUG))) return false;
    throw err;
  }
}
