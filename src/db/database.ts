import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Dialect = DatabaseConfig['kind'];

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
}

// int8 and numeric come back as strings by default; every count and time
// here fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

const POOL_SIZE = 10;

export function openDatabase(config: DatabaseConfig): DatabaseHandle {
  return {
    db: new Kysely<Database>({ dialect: createDialect(config) }),
    dialect: config.kind,
  };
}

function createDialect(config: DatabaseConfig) {
  if (config.kind === 'sqlite')
    return new SqliteDialect({ database: openSqlite(config.file) });

  const common = {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
  };
  if (config.kind === 'mysql') {
    const pool = createPool({
      ...common,
      connectionLimit: POOL_SIZE,
      connectTimeout: 5_000,
      supportBigNumbers: true,
      decimalNumbers: true,
      ssl: config.ssl ? { rejectUnauthorized: true } : undefined,
    });
    return new MysqlDialect({ pool });
  }
  const pool = new pg.Pool({
    ...common,
    max: POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    ssl: config.ssl ? { rejectUnauthorized: true } : undefined,
  });
  // An idle client that loses its server emits 'error'; the pool drops it.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}

function openSqlite(file: string) {
  const sqlite = new SQLite(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  // FULL: a vote is on disk before the voter hears it counted.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}
