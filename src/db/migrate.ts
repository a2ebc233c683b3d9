import { type Kysely, type Migration, Migrator } from 'kysely';
import * as initial from './migrations/20261203T1600_initial.js';
import type { Database } from './schema.js';

/** Every migration, by name; names sort in the order they apply. */
const migrations: Record<string, Migration> = {
  '20261203T1600_initial': initial,
};

/**
 * Brings the schema up to date. Kysely's migrator takes a database lock
 * (GET_LOCK, an advisory lock, or SQLite's write lock), so instances starting
 * together apply each migration once.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw error;
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
