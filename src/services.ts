import { randomBytes } from 'node:crypto';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Config, describeDatabase } from './config.js';
import { type Dialect, openDatabase } from './db/database.js';
import { isUniqueViolation } from './db/errors.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database } from './db/schema.js';
import { waitForDatabase } from './db/wait.js';
import { createLiveHub } from './live/feed.js';
import type { LiveHub } from './live/hub.js';
import { Metrics } from './metrics/metrics.js';
import { readSeedFile, seedDefaultPoll } from './polls/seed.js';
import { PollStore } from './polls/store.js';
import { batchWriter } from './votes/batch.js';
import { VoteWriter } from './votes/writer.js';
import { VoterCookie } from './web/voter.js';

/** Everything the routes use, built once per process and passed in. */
export interface Services {
  config: Config;
  db: Kysely<Database>;
  dialect: Dialect;
  /** SQLite's own handle, under `db`, for the vote batches' prepared statements. */
  sqlite?: SqliteDatabase;
  polls: PollStore;
  votes: VoteWriter;
  live: LiveHub;
  metrics: Metrics;
  /** The signed voter cookie; its secret is shared by every instance. */
  voters: VoterCookie;
  state: { failing: boolean; shuttingDown: boolean };
}

/** Prepares the database (wait, migrate, seed) before anything is served. */
export async function prepareDatabase(config: Config, log: Logger): Promise<void> {
  const { db } = openDatabase(config.database);
  try {
    await prepareSchema(db, config, log);
  } finally {
    await db.destroy();
  }
}

async function prepareSchema(db: Kysely<Database>, config: Config, log: Logger) {
  log.info({ database: describeDatabase(config.database) }, 'connecting to database');
  await waitForDatabase(db, log, config.dbWaitSeconds);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) log.info({ migrations: applied }, 'schema migrated');
  if (await seedDefaultPoll(db, await readSeedFile(config.seedFile))) {
    log.info({ seedFile: config.seedFile }, 'default poll seeded');
  }
}

/**
 * Opens the database and builds the services. `prepare` also migrates and
 * seeds through the same handle: an in-memory SQLite database exists only
 * inside its one connection.
 */
export async function openServices(
  config: Config,
  log: Logger,
  { prepare = false } = {},
): Promise<Services> {
  const metrics = new Metrics();
  const database = openDatabase(config.database, { log: metrics.queryLog });
  const { db, dialect } = database;
  if (prepare) await prepareSchema(db, config, log);
  const polls = new PollStore(db);
  const live = createLiveHub(polls, log, metrics);
  const votes = new VoteWriter(batchWriter(database), log, {
    retryMs: config.voteRetryMs,
    concurrency: dialect === 'sqlite' ? 1 : 2,
    metrics,
    onCommit: (pollIds, counted, startedAt) => {
      polls.votesCommitted(pollIds, counted, startedAt);
      live.votesCommitted(pollIds);
    },
  });
  metrics.watch({
    pool: database.poolStats,
    queuedVotes: () => votes.queued,
    live: () => live,
  });
  const cookieSecret = config.cookieSecret ?? (await sharedSecret(db, 'cookie_secret'));
  return {
    config,
    db,
    dialect,
    sqlite: database.sqlite,
    polls,
    votes,
    live,
    metrics,
    voters: new VoterCookie(cookieSecret),
    state: { failing: false, shuttingDown: false },
  };
}

export async function closeServices(services: Services): Promise<void> {
  services.live.close();
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
