import SQLite from 'better-sqlite3';
import {
  Kysely,
  type LogConfig,
  MysqlDialect,
  PostgresDialect,
  SqliteDialect,
} from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { PoolStats } from '../metrics/metrics.js';
import { mysqlPoolStats, pgPoolStats, sqlitePoolStats } from '../metrics/pool.js';
import type { Database } from './schema.js';

export type Dialect = DatabaseConfig['kind'];

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** SQLite's own handle, for statements kept prepared (the vote batches). */
  sqlite?: SQLite.Database;
  /** Connections in use, idle and awaited, for the metrics. */
  poolStats: () => PoolStats;
}

// int8 and numeric come back as strings by default; every count and time
// here fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

const POOL_SIZE = 10;

/** `log` sees every query with its duration (the metrics' query latency). */
export function openDatabase(
  config: DatabaseConfig,
  { log }: { log?: LogConfig } = {},
): DatabaseHandle {
  const { dialect, poolStats, sqlite } = createDialect(config);
  const db = new Kysely<Database>({ dialect, log });
  return { db, dialect: config.kind, poolStats, sqlite };
}

function createDialect(config: DatabaseConfig) {
  if (config.kind === 'sqlite') {
    const sqlite = openSqlite(config.file);
    return {
      dialect: new SqliteDialect({ database: sqlite }),
      poolStats: sqlitePoolStats,
      sqlite,
    };
  }

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
      // The vote writer sends a batch's statements as one script (src/votes/batch.ts).
      // Every statement the app sends is built by Kysely with bound parameters.
      multipleStatements: true,
      ssl: config.ssl ? { rejectUnauthorized: true } : undefined,
    });
    return { dialect: new MysqlDialect({ pool }), poolStats: mysqlPoolStats(pool) };
  }
  const pool = new pg.Pool({
    ...common,
    max: POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    ssl: config.ssl ? { rejectUnauthorized: true } : undefined,
  });
  // An idle client that loses its server emits 'error'; the pool drops it.
  pool.on('error', () => {});
  return { dialect: new PostgresDialect({ pool }), poolStats: pgPoolStats(pool) };
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
