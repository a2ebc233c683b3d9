/**
 * The database ceiling: single-row autocommit INSERTs into a ballot-like table,
 * from many connections at once, through the same driver the app uses. A vote
 * costs the app at least one such commit, so this bounds the vote rate.
 */
import { randomUUID } from 'node:crypto';
import { createHistogram } from 'node:perf_hooks';
import { type Connection, createConnection } from 'mysql2/promise';
import { mysqlOptions } from './db/mariadb-url.js';

export interface InsertCeiling {
  connections: number;
  seconds: number;
  inserts: number;
  insertsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

const TABLE = 'bench_raw_ballots';

export async function measureInserts(
  url: string,
  connections: number,
  seconds: number,
): Promise<InsertCeiling> {
  const admin = await createConnection(mysqlOptions(url));
  await createTable(admin);
  const pool = await Promise.all(
    Array.from({ length: connections }, () => createConnection(mysqlOptions(url))),
  );

  try {
    return await hammer(pool, seconds);
  } finally {
    await Promise.all(pool.map((c) => c.end()));
    await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await admin.end();
  }
}

async function createTable(conn: Connection): Promise<void> {
  await conn.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await conn.query(
    `CREATE TABLE ${TABLE} (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      poll_id INT NOT NULL,
      voter_id VARCHAR(64) NOT NULL,
      choices VARCHAR(100) NOT NULL,
      created_at BIGINT NOT NULL
    ) ENGINE=InnoDB`,
  );
}

async function hammer(pool: Connection[], seconds: number): Promise<InsertCeiling> {
  const histogram = createHistogram();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let inserts = 0;

  const loop = async (conn: Connection) => {
    while (performance.now() < deadline) {
      const t0 = process.hrtime.bigint();
      await conn.query(
        `INSERT INTO ${TABLE} (poll_id, voter_id, choices, created_at) VALUES (?, ?, ?, ?)`,
        [1, randomUUID(), String(1 + (inserts % 10)), Date.now()],
      );
      histogram.record(process.hrtime.bigint() - t0);
      inserts++;
    }
  };
  await Promise.all(pool.map(loop));

  const elapsed = (performance.now() - started) / 1000;
  return {
    connections: pool.length,
    seconds: elapsed,
    inserts,
    insertsPerSecond: inserts / elapsed,
    latencyMs: {
      p50: histogram.percentile(50) / 1e6,
      p99: histogram.percentile(99) / 1e6,
    },
  };
}
