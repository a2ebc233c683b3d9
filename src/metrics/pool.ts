import type { Pool as MysqlPool } from 'mysql2';
import type pg from 'pg';
import type { PoolStats } from './metrics.js';

/** SQLite has no pool: one connection, always open. */
export const sqlitePoolStats = (): PoolStats => ({ inUse: 1, idle: 0, waiting: 0 });

export function pgPoolStats(pool: pg.Pool): () => PoolStats {
  return () => ({
    inUse: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  });
}

interface MysqlPoolInsides {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * mysql2 keeps its counts in private queues; read defensively, so that a
 * release that renames them reports zeros instead of failing the scrape.
 */
export function mysqlPoolStats(pool: MysqlPool): () => PoolStats {
  const insides = pool as unknown as MysqlPoolInsides;
  return () => {
    const all = insides._allConnections?.length ?? 0;
    const idle = insides._freeConnections?.length ?? 0;
    return { inUse: all - idle, idle, waiting: insides._connectionQueue?.length ?? 0 };
  };
}
