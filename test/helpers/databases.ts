import { describe } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';

export interface TestDatabase {
  name: 'sqlite' | 'mariadb' | 'postgres';
  url: string;
}

/**
 * Every supported database, for real: SQLite in memory, and the MariaDB and
 * PostgreSQL on loopback that `.ci/run` prepares. Override with TEST_MYSQL_URL,
 * TEST_POSTGRES_URL, or narrow with TEST_DATABASES=sqlite,mariadb.
 */
export const databases: TestDatabase[] = [
  { name: 'sqlite' as const, url: 'sqlite::memory:' },
  {
    name: 'mariadb' as const,
    url:
      process.env.TEST_MYSQL_URL ?? 'mysql://polling:polling@127.0.0.1:3306/polling_test',
  },
  {
    name: 'postgres' as const,
    url:
      process.env.TEST_POSTGRES_URL ??
      'postgres://polling:polling@127.0.0.1:5432/polling_test',
  },
].filter(
  (d) => !process.env.TEST_DATABASES || process.env.TEST_DATABASES.includes(d.name),
);

/** Runs the suite once per database. */
export function forEachDatabase(suite: (target: TestDatabase) => void): void {
  for (const target of databases) describe(`on ${target.name}`, () => suite(target));
}

const TABLES = [
  'ballots',
  'options',
  'polls',
  'app_settings',
  'kysely_migration',
  'kysely_migration_lock',
];

/** Drops every table the app creates, so the next start meets an empty database. */
export async function emptyDatabase(url: string): Promise<void> {
  const config = parseDatabaseUrl(url);
  if (config.kind === 'sqlite') return;

  const { db } = openDatabase(config);
  try {
    for (const table of TABLES) {
      const cascade = config.kind === 'postgres' ? sql` cascade` : sql``;
      await sql`drop table if exists ${sql.table(table)}${cascade}`.execute(db);
    }
  } finally {
    await db.destroy();
  }
}
