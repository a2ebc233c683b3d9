import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { type Child, spawnChild, waitFor } from './child.js';

const run = promisify(execFile);

/** Small settings: a throwaway server on a shared two-core machine. */
const SERVER_SETTINGS = [
  '--innodb-buffer-pool-size=32M',
  '--innodb-log-file-size=16M',
  '--skip-name-resolve',
  '--skip-log-bin',
];

/**
 * A MariaDB server of our own on a loopback port, with its own data
 * directory, that we may stop and start at will: the resilience tests
 * restart it, which the shared server on 3306 must never be. It runs with
 * --skip-grant-tables (any user name, no password), which is acceptable only
 * because it listens on 127.0.0.1 and holds throwaway data.
 */
export class PrivateMariaDb {
  readonly port: number;
  readonly #dir: string;
  readonly #detached: boolean;
  #child: Child | undefined;

  private constructor(dir: string, port: number, detached: boolean) {
    this.#dir = dir;
    this.port = port;
    this.#detached = detached;
  }

  /** Creates the data directory under `dir` and starts the server. */
  static async create(dir: string, port: number, { detached = false } = {}) {
    const db = new PrivateMariaDb(dir, port, detached);
    await mkdir(dir, { recursive: true });
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${db.#dataDir}`,
      `--user=${userInfo().username}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...SERVER_SETTINGS,
    ]);
    await db.start();
    return db;
  }

  get #dataDir(): string {
    return join(this.#dir, 'data');
  }

  /** The URL the app uses for `database` on this server. */
  url(database: string): string {
    return `mysql://polling:polling@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.#child?.running ?? false;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.#child = spawnChild('mariadbd', 'mariadbd', this.#serverArgs(), {
      env: { PATH: process.env.PATH },
      detached: this.#detached,
    });
    await waitFor('the private MariaDB to accept connections', () => this.#answers(), {
      child: this.#child,
      timeoutMs: 60_000,
    });
  }

  /** A clean shutdown, as `systemctl stop` would do; SIGKILL if it hangs. */
  async stop(): Promise<void> {
    await this.#child?.stop('SIGTERM', 30_000);
  }

  async createDatabase(name: string): Promise<string> {
    const connection = await this.#connect();
    try {
      await connection.query(`create database if not exists \`${name}\``);
    } finally {
      await connection.end();
    }
    return this.url(name);
  }

  /** The server's log so far, for a failure message. */
  output(): string {
    return this.#child?.output() ?? '';
  }

  #serverArgs(): string[] {
    return [
      '--no-defaults',
      `--datadir=${this.#dataDir}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(this.#dir, 'mariadb.sock')}`,
      `--pid-file=${join(this.#dir, 'mariadb.pid')}`,
      `--user=${userInfo().username}`,
      '--skip-grant-tables',
      ...SERVER_SETTINGS,
    ];
  }

  async #answers(): Promise<boolean> {
    const connection = await this.#connect();
    await connection.end();
    return true;
  }

  #connect() {
    return createConnection({
      host: '127.0.0.1',
      port: this.port,
      user: 'root',
      connectTimeout: 2_000,
    });
  }
}

/**
 * A database on the shared MariaDB (3306) for the cluster command, created
 * with root over the local socket (Debian's default), for the `polling`
 * user that `.ci/run` creates. Never stops or restarts that server.
 */
export async function sharedDatabase(name: string): Promise<string> {
  const grants = ['127.0.0.1', 'localhost']
    .map((host) => `GRANT ALL ON \`${name}\`.* TO 'polling'@'${host}';`)
    .join(' ');
  try {
    await run('mariadb', ['-e', `CREATE DATABASE IF NOT EXISTS \`${name}\`; ${grants}`]);
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() || String(err);
    throw new Error(
      `could not create database ${name} on the shared MariaDB as root over its ` +
        `socket (${detail}); use --private-db or --database-url instead`,
    );
  }
  return `mysql://polling:polling@127.0.0.1:3306/${name}`;
}
