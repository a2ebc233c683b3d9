import { hostname } from 'node:os';

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'mysql' | 'postgres';
      host: string;
      port: number;
      database: string;
      user: string;
      password: string;
      ssl: boolean;
    };

export interface Config {
  host: string;
  httpPort: number;
  database: DatabaseConfig;
  seedFile: string;
  adminToken: string | undefined;
  /** Bearer token /metrics asks for; without it /metrics is open. */
  metricsToken: string | undefined;
  cookieSecret: string | undefined;
  logLevel: string;
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  shutdownDrainMs: number;
  dbWaitSeconds: number;
  voteRetryMs: number;
  /** Per client address; 0 turns a limit off (the benchmark does). */
  rateLimits: { votesPerMinute: number; pollsPerHour: number };
  workers: number;
  servedBy: string;
}

type Env = Record<string, string | undefined>;

/** A configuration mistake: its message names the variable and never a secret. */
export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the environment once. The original app's variables keep their meaning
 * (note that its `PORT` is the database port); `DATABASE_URL` wins over them.
 */
export function loadConfig(env: Env = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`,
    );
  }

  const database = readDatabase(env);
  const workers = readInteger(env, 'WORKERS', 1, 1, 256);
  if (workers > 1 && database.kind === 'sqlite' && database.file === ':memory:') {
    throw new ConfigError('WORKERS must be 1 with an in-memory SQLite database');
  }

  return {
    host: env.HOST ?? '0.0.0.0',
    httpPort: readPort(env, 'HTTP_PORT', 8080),
    database,
    seedFile: env.SEED_FILE ?? 'seeds/seed_data.json',
    adminToken: readSecret(env, 'ADMIN_TOKEN', 16),
    metricsToken: readSecret(env, 'METRICS_TOKEN', 16),
    cookieSecret: readSecret(env, 'COOKIE_SECRET', 32),
    logLevel,
    trustProxy: readBoolean(env, 'TRUST_PROXY', false),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    shutdownDrainMs: readInteger(env, 'SHUTDOWN_DRAIN_MS', 0, 0, 60_000),
    dbWaitSeconds: readInteger(env, 'DB_WAIT_SECONDS', 60, 0, 3600),
    voteRetryMs: readInteger(env, 'VOTE_RETRY_MS', 5_000, 0, 60_000),
    rateLimits: {
      votesPerMinute: readInteger(env, 'RATE_LIMIT_VOTES_PER_MINUTE', 600, 0, 10_000_000),
      pollsPerHour: readInteger(env, 'RATE_LIMIT_POLLS_PER_HOUR', 30, 0, 1_000_000),
    },
    workers,
    servedBy: env.SERVED_BY ?? hostname(),
  };
}

function readDatabase(env: Env): DatabaseConfig {
  if (env.DATABASE_URL) return parseDatabaseUrl(env.DATABASE_URL);

  const type = (env.DB_TYPE ?? '').toLowerCase();
  if (type !== 'mysql' && type !== 'postgresql') {
    return { kind: 'sqlite', file: env.SQLITE_FILE ?? 'polling-app.db' };
  }
  const kind = type === 'mysql' ? 'mysql' : 'postgres';
  const portName = env.PORT !== undefined ? 'PORT' : 'DB_PORT';
  return {
    kind,
    host: env.ENDPOINT_ADDRESS ?? env.DB_HOST ?? '127.0.0.1',
    port: readPort(env, portName, kind === 'mysql' ? 3306 : 5432),
    database: required(env, 'DB_NAME'),
    user: required(
      env,
      env.MASTER_USERNAME !== undefined ? 'MASTER_USERNAME' : 'DB_USER',
    ),
    password: env.MASTER_PASSWORD ?? env.DB_PASS ?? '',
    ssl: readBoolean(env, 'DB_SSL', false),
  };
}

/** Accepts mysql://, mariadb://, postgres(ql)://, and sqlite:PATH or sqlite::memory:. */
export function parseDatabaseUrl(raw: string): DatabaseConfig {
  const scheme = raw.slice(0, raw.indexOf(':')).toLowerCase();
  if (scheme === 'sqlite' || scheme === 'file') {
    const file = raw.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, '');
    if (!file)
      throw new ConfigError('DATABASE_URL names no SQLite file (use sqlite:PATH)');
    return { kind: 'sqlite', file };
  }

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a valid URL (scheme "${scheme}")`);
  }
  const kind = databaseKind(scheme);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!database)
    throw new ConfigError('DATABASE_URL names no database (its path is empty)');
  const ssl = url.searchParams.get('ssl') ?? url.searchParams.get('sslmode');
  return {
    kind,
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : kind === 'mysql' ? 3306 : 5432,
    database,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    ssl: ssl !== null && !['false', '0', 'disable'].includes(ssl),
  };
}

function databaseKind(scheme: string): 'mysql' | 'postgres' {
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  throw new ConfigError(
    `DATABASE_URL has unsupported scheme "${scheme}" (use mysql, mariadb, postgres or sqlite)`,
  );
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is required when DB_TYPE is ${env.DB_TYPE}`);
  return value;
}

function readPort(env: Env, name: string, fallback: number): number {
  return readInteger(env, name, fallback, 1, 65_535);
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** A secret is checked for length only; its value is never echoed. */
function readSecret(env: Env, name: string, minLength: number): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < minLength) {
    throw new ConfigError(`${name} must be at least ${minLength} characters long`);
  }
  return value;
}

/** Where the database is, for logs: never the password. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.kind === 'sqlite') return `sqlite:${db.file}`;
  return `${db.kind}://${db.user}@${db.host}:${db.port}/${db.database}`;
}
