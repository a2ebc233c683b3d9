import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, type Migration, Migrator, SqliteAdapter } from 'kysely';
import { isUniqueViolation } from './errors.js';
import * as initial from './migrations/20261203T1600_initial.js';
import type { Database } from './schema.js';

/** Every migration, by name; names sort in the order they apply. */
const migrations: Record<string, Migration> = {
  '20261203T1600_initial': initial,
};

const ATTEMPTS = 5;

/**
 * Brings the schema up to date, once however many instances start together.
 * MySQL and PostgreSQL serialise migrators with a database lock (GET_LOCK, an
 * advisory lock). Kysely takes no lock on SQLite, where two processes can
 * race; there each migration is one transaction, so the loser's attempt
 * rolls back whole and a retry finds the work done.
 *
 * Before it takes that lock, Kysely's migrator creates its own tables and
 * the lock's row, unlocked; two instances doing that at once can collide on
 * the row (seen on MariaDB: a duplicate key on `migration_lock`). Nothing
 * has been migrated then, so that failure is retried on every database.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  for (let attempt = 1; ; attempt++) {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (!error)
      return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
    const retry = isSqlite || isUniqueViolation(error);
    if (!retry || attempt === ATTEMPTS) throw error;
    await sleep(50 * attempt);
  }
}
