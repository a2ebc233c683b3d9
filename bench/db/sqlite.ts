import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchDb } from './bench-db.js';

/**
 * A SQLite file in a fresh temp folder. The connection opens on first use, after
 * the app has created the file, and waits on the app's locks instead of failing.
 */
export async function sqliteBenchDb(): Promise<BenchDb> {
  const dir = await mkdtemp(join(tmpdir(), 'polling-bench-'));
  const file = join(dir, 'bench.db');
  let conn: Database.Database | undefined;
  const prepare = (sql: string) => {
    if (!conn) {
      conn = new Database(file);
      conn.pragma('busy_timeout = 10000');
    }
    return conn.prepare(sql);
  };
  const closeConn = () => {
    conn?.close();
    conn = undefined;
  };

  return {
    kind: 'sqlite',
    appUrl: `sqlite:${file}`,
    all: async <T>(sql: string, params: unknown[] = []) =>
      prepare(sql).all(...params) as T[],
    run: async (sql, params = []) => {
      prepare(sql).run(...params);
    },
    empty: async () => {
      closeConn();
      for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
    },
    columns: async (table) => {
      const rows = prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      return rows.map((r) => r.name);
    },
    insertSequence: async (s) => {
      const [nonceColumn, nonceValue] = s.nonce ? [', nonce', ", 'n' || n"] : ['', ''];
      const sql = `INSERT INTO ballots (poll_id, voter_id, choices, created_at${nonceColumn})
        WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
        SELECT ?, 'bench-' || n, CAST((n % ?) + 1 AS TEXT), ?${nonceValue} FROM seq`;
      prepare(sql).run(s.from, s.to, s.pollId, s.options, Date.now());
    },
    close: async () => {
      closeConn();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
