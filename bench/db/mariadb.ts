import { createPool } from 'mysql2/promise';
import type { BenchDb } from './bench-db.js';
import { mysqlOptions } from './mariadb-url.js';

/** A MariaDB database the bench may wipe (polling_bench, or polling_test in CI). */
export function mariadbBenchDb(url: string): BenchDb {
  const pool = createPool({ ...mysqlOptions(url), connectionLimit: 4 });

  return {
    kind: 'mariadb',
    appUrl: url,
    all: async <T>(sql: string, params: unknown[] = []) => {
      const [rows] = await pool.query(sql, params);
      return rows as T[];
    },
    run: async (sql, params = []) => {
      await pool.query(sql, params);
    },
    empty: async () => {
      const conn = await pool.getConnection();
      try {
        // Foreign keys would otherwise dictate the drop order; the check is per session.
        await conn.query('SET FOREIGN_KEY_CHECKS = 0');
        const [rows] = await conn.query(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
        );
        for (const { name } of rows as { name: string }[]) {
          await conn.query(`DROP TABLE IF EXISTS \`${name}\``);
        }
      } finally {
        await conn.query('SET FOREIGN_KEY_CHECKS = 1');
        conn.release();
      }
    },
    columns: async (table) => {
      const [rows] = await pool.query(
        `SELECT column_name AS name FROM information_schema.columns
         WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
        [table],
      );
      return (rows as { name: string }[]).map((r) => r.name);
    },
    insertSequence: async (s) => {
      const [nonceColumn, nonceValue] = s.nonce
        ? [', nonce', ", CONCAT('n', seq)"]
        : ['', ''];
      // seq_<from>_to_<to> is MariaDB's Sequence engine: a virtual table of integers.
      await pool.query(
        `INSERT INTO ballots (poll_id, voter_id, choices, created_at${nonceColumn})
         SELECT ?, CONCAT('bench-', seq), CAST((seq % ?) + 1 AS CHAR), ?${nonceValue}
         FROM seq_${Math.trunc(s.from)}_to_${Math.trunc(s.to)}`,
        [s.pollId, s.options, Date.now()],
      );
    },
    close: () => pool.end(),
  };
}
