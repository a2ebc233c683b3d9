import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Config, describeDatabase } from './config.js';
import { type Dialect, openDatabase } from './db/database.js';
import { isUniqueViolation } from './db/errors.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database } from './db/schema.js';
import { waitForDatabase } from './db/wait.js';
import { readSeedFile, seedDefaultPoll } from './polls/seed.js';
import { PollStore } from './polls/store.js';
import { VoteWriter } from './votes/writer.js';

/** Everything the routes use, built once per process and passed in. */
export interface Services {
  config: Config;
  db: Kysely<Database>;
  dialect: Dialect;
  polls: PollStore;
  votes: VoteWriter;
  cookieSecret: string;
  state: { failing: boolean; shuttingDown: boolean };
}

/** Prepares the database (wait, migrate, seed) before anything is served. */
export async function prepareDatabase(config: Config, log: Logger): Promise<void> {
  const { db } = openDatabase(config.database);
  try {
    log.info({ database: describeDatabase(config.database) }, 'connecting to database');
    await waitForDatabase(db, log, config.dbWaitSeconds);
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'schema migrated');
    if (await seedDefaultPoll(db, await readSeedFile(config.seedFile))) {
      log.info({ seedFile: config.seedFile }, 'default poll seeded');
    }
  } finally {
    await db.destroy();
  }
}

export async function openServices(config: Config, log: Logger): Promise<Services> {
  const { db, dialect } = openDatabase(config.database);
  const polls = new PollStore(db);
  const votes = new VoteWriter(db, dialect, log, {
    retryMs: config.voteRetryMs,
    concurrency: dialect === 'sqlite' ? 1 : 2,
    onCommit: (pollIds) => polls.votesCommitted(pollIds),
  });
  const cookieSecret = config.cookieSecret ?? (await sharedSecret(db, 'cookie_secret'));
  return {
    config,
    db,
    dialect,
    polls,
    votes,
    cookieSecret,
    state: { failing: false, shuttingDown: false },
  };
}

export async function closeServices(services: Services): Promise<void> {
  await services.votes.drain();
  await services.db.destroy();
}

/**
 * A secret generated once and kept in the database, so that every instance
 * sharing the database signs cookies alike without anyone configuring it.
 */
async function sharedSecret(db: Kysely<Database>, name: string): Promise<string> {
  const read = () =>
    db
      .selectFrom('app_settings')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
  const existing = await read();
  if (existing) return existing.value;
  try {
    const value = randomBytes(32).toString('base64url');
    await db.insertInto('app_settings').values({ name, value }).execute();
    return value;
  } catch (err) {
    const winner = isUniqueViolation(err) ? await read() : undefined;
    if (!winner) throw err;
    return winner.value;
  }
}
