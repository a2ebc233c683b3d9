import { type Kysely, PostgresAdapter, SqliteAdapter, sql } from 'kysely';

// Frozen once merged: later changes go in a new migration.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on app types
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const serial = isPostgres ? sql`serial` : sql`integer`;
  // SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
  const bigSerial = isPostgres ? sql`bigserial` : isSqlite ? sql`integer` : sql`bigint`;

  await db.schema
    .createTable('polls')
    .addColumn('id', serial, (c) =>
      isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('slug', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('question', 'varchar(500)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('max_choices', 'integer', (c) => c.notNull())
    .addColumn('results_visibility', 'varchar(16)', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull())
    .addColumn('closes_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('manage_token_hash', 'varchar(64)')
    .addColumn('ballot_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('polls_public_recent')
    .on('polls')
    .columns(['is_public', 'created_at'])
    .execute();

  await db.schema
    .createTable('options')
    .addColumn('poll_id', 'integer', (c) =>
      c.notNull().references('polls.id').onDelete('cascade'),
    )
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('label', 'varchar(200)', (c) => c.notNull())
    .addColumn('votes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('options_pk', ['poll_id', 'id'])
    .execute();

  await db.schema
    .createTable('ballots')
    .addColumn('id', bigSerial, (c) =>
      isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('poll_id', 'integer', (c) =>
      c.notNull().references('polls.id').onDelete('cascade'),
    )
    .addColumn('voter_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('choices', 'varchar(100)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ballots_one_per_voter', ['poll_id', 'voter_id'])
    .execute();

  await db.schema
    .createTable('app_settings')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['app_settings', 'ballots', 'options', 'polls']) {
    await db.schema.dropTable(table).execute();
  }
}
