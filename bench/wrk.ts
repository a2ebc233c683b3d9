import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./wrk/count.lua', import.meta.url));
const MARKER = 'BENCH_RESULT ';

export interface WrkLoad {
  url: string;
  seconds: number;
  connections: number;
  threads: number;
  /** 'vote' posts `vote=<id>` cycling through `optionIds`; 'get' repeats a GET. */
  mode: 'get' | 'vote';
  optionIds?: number[];
}

/** What count.lua prints at the end of a run. */
export interface WrkResult {
  durationUs: number;
  /** Responses read. */
  requests: number;
  /** Requests written, including any still in flight when the run stopped. */
  sent: number;
  statuses: Record<string, number>;
  errors: { connect: number; read: number; write: number; timeout: number };
  latencyUs: { p50: number; p90: number; p99: number; max: number };
}

export class WrkMissingError extends Error {
  readonly code = 'BENCH_WRK_MISSING';
  constructor() {
    super(
      'wrk is not installed: install it with `apt-get update && apt-get install -y wrk` ' +
        '(Debian/Ubuntu) or `brew install wrk` (macOS)',
    );
  }
}

/** Throws WrkMissingError unless a `wrk` binary answers on the PATH. */
export async function checkWrk(): Promise<void> {
  try {
    await run('wrk', ['--version']);
  } catch (err) {
    // wrk --version prints its banner and exits 1; only a missing binary is fatal.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new WrkMissingError();
  }
}

export async function runWrk(load: WrkLoad): Promise<WrkResult> {
  const threads = Math.min(load.threads, load.connections);
  // wrk takes whole seconds and refuses `-d3.33s`, which is what the default
  // 10 s run over three pairs would ask for.
  const seconds = Math.max(1, Math.round(load.seconds));
  const args = [
    `-t${threads}`,
    `-c${load.connections}`,
    `-d${seconds}s`,
    '--timeout',
    '5s',
    '-s',
    SCRIPT,
    load.url,
    '--',
    load.mode,
    (load.optionIds ?? []).join(','),
  ];
  const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
  return parseWrkOutput(stdout);
}

export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line)
    throw new Error(`wrk printed no ${MARKER.trim()} line: ${stdout.slice(0, 500)}`);
  return JSON.parse(line.slice(MARKER.length)) as WrkResult;
}

/** Responses with a 2xx status. */
export function accepted(result: WrkResult): number {
  return sumStatuses(result, (status) => status >= 200 && status < 300);
}

export function sumStatuses(
  result: WrkResult,
  keep: (status: number) => boolean,
): number {
  return Object.entries(result.statuses)
    .filter(([status]) => keep(Number(status)))
    .reduce((sum, [, count]) => sum + count, 0);
}

export function requestsPerSecond(result: WrkResult): number {
  return result.requests / (result.durationUs / 1e6);
}
