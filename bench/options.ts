/** Run settings, read once from the command line and the environment. */
export interface BenchOptions {
  /** Length of one load run in seconds. */
  seconds: number;
  /**
   * Pairs of runs (ceiling, then app) behind each row of the app stage, each
   * `seconds / pairs` long; the row is the pair whose ratio is the median.
   */
  pairs: number;
  /** Connection counts for the app matrix. */
  connections: number[];
  /** Stages to run, in order. */
  stages: Stage[];
  /** Databases to run the app on. */
  databases: DbKind[];
  mariadbUrl: string;
  /** Ballots loaded for the "big poll" latency stage. */
  bigPoll: number;
  sseSubscribers: number;
  wrkThreads: number;
  build: boolean;
}

export const STAGES = ['ceilings', 'app', 'workers', 'scale', 'sse'] as const;
export type Stage = (typeof STAGES)[number];
export type DbKind = 'sqlite' | 'mariadb';

const DEFAULT_MARIADB = 'mysql://polling:polling@127.0.0.1:3306/polling_bench';

export function readOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick');
  const seconds = positive('BENCH_SECONDS', env.BENCH_SECONDS, quick ? 3 : 10);

  return {
    seconds,
    pairs: Math.round(positive('BENCH_PAIRS', env.BENCH_PAIRS, quick ? 1 : 3)),
    connections: [32, 256],
    stages: listFlag(argv, '--stages', STAGES),
    databases: listFlag(argv, '--db', ['sqlite', 'mariadb'] as const),
    mariadbUrl: env.BENCH_MARIADB_URL ?? DEFAULT_MARIADB,
    bigPoll: positive('BENCH_BIG_POLL', env.BENCH_BIG_POLL, 1_000_000),
    sseSubscribers: positive('BENCH_SSE_SUBSCRIBERS', env.BENCH_SSE_SUBSCRIBERS, 10_000),
    wrkThreads: positive('BENCH_WRK_THREADS', env.BENCH_WRK_THREADS, 1),
    build: !argv.includes('--no-build'),
  };
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got '${raw}'`);
  }
  return value;
}

/** Reads `--flag=a,b` and checks every item against the allowed values. */
export function listFlag<T extends string>(
  argv: string[],
  flag: string,
  allowed: readonly T[],
): T[] {
  const arg = argv.find((a) => a.startsWith(`${flag}=`));
  if (!arg) return [...allowed];

  const items = arg.slice(flag.length + 1).split(',');
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new Error(
        `${flag}: unknown value '${item}', expected one of ${allowed.join(', ')}`,
      );
    }
  }
  return items as T[];
}
