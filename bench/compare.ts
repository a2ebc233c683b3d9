/**
 * Two builds of the app side by side, for changes smaller than the noise
 * between two separate bench runs on this machine. See bench/README.md.
 *
 *   npm run bench:compare -- <ref-a> <ref-b> [--endpoints=vote,results-page]
 *     [--db=sqlite|mariadb] [--rounds=5] [--connections=32]
 *
 * A ref is anything git names a commit by, or `.` for the working tree as it
 * is. Both apps run at once; wrk loads one at a time, alternating which goes
 * first each round, so slow spells of the machine fall on both. Each run
 * reads the app's CPU time from /proc, so the table gives CPU microseconds
 * a request as well as requests a second. Vote runs are audited as in the
 * bench.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, type RunningApp, startApp } from './app.js';
import type { BenchDb } from './db/bench-db.js';
import { mariadbBenchDb } from './db/mariadb.js';
import { sqliteBenchDb } from './db/sqlite.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { describeMeasured, measure } from './measure.js';
import { listFlag } from './options.js';
import { table } from './table.js';
import { checkWrk } from './wrk.js';

interface Side {
  ref: string;
  label: string;
  root: string;
  db?: BenchDb;
  app?: RunningApp;
}

interface Sample {
  rps: number;
  p99Ms: number;
  cpuUsPerRequest: number;
}

const DEFAULT_MARIADB = 'mysql://polling:polling@127.0.0.1:3306/polling_bench';
/** Files whose difference makes two refs unfit to share node_modules or a database. */
const MUST_MATCH = ['package-lock.json', 'src/db/migrations'];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const refs = args.filter((a) => !a.startsWith('--'));
  if (refs.length !== 2) {
    throw new Error('usage: npm run bench:compare -- <ref-a> <ref-b> [--endpoints=...]');
  }
  const endpoints = flag(args, '--endpoints')
    ? listFlag(args, '--endpoints', Object.keys(ENDPOINTS) as Endpoint[])
    : (['vote', 'results-page', 'results-json'] as Endpoint[]);
  const [db = 'sqlite', ...more] = flag(args, '--db')
    ? listFlag(args, '--db', ['sqlite', 'mariadb'] as const)
    : [];
  if (more.length > 0) throw new Error('--db takes one database');
  const rounds = Number(flag(args, '--rounds') ?? 5);
  const connections = Number(flag(args, '--connections') ?? 32);
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  await checkWrk();

  const work = await mkdtemp(join(tmpdir(), 'polling-compare-'));
  const sides: Side[] = [];
  try {
    for (const ref of refs) sides.push(await checkout(ref, work, sides.length));
    checkComparable(sides);
    // MariaDB: one database, emptied once; SQLite: a file each.
    const mariadbUrl = process.env.BENCH_MARIADB_URL ?? DEFAULT_MARIADB;
    const shared = db === 'mariadb' ? mariadbBenchDb(mariadbUrl) : undefined;
    await shared?.empty();
    for (const side of sides) {
      side.db = shared ?? (await sqliteBenchDb());
      side.app = await startApp({
        db: side.db,
        workers: 1,
        entry: 'dist',
        root: side.root,
      });
      log(`${side.label}: pid ${side.app.pid}`);
    }

    const samples = new Map<string, Sample[]>();
    for (const endpoint of endpoints) {
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? sides : [...sides].reverse();
        for (const side of order) {
          const sample = await sampleOnce(side, endpoint, connections, seconds);
          const key = `${endpoint}\t${side.label}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
      }
    }
    console.log(
      summaryTable(endpoints, sides, samples, { rounds, connections, seconds, db }),
    );
    return 0;
  } finally {
    for (const side of sides) await side.app?.stop();
    const dbs = new Set(sides.map((s) => s.db));
    for (const d of dbs) await d?.close();
    for (const side of sides) if (side.ref !== '.') removeWorktree(side.root);
    await rm(work, { recursive: true, force: true });
  }
}

/** `.` is this checkout, built as it is; a ref gets a worktree and a build of its own. */
async function checkout(ref: string, work: string, index: number): Promise<Side> {
  const label = `${String.fromCharCode(97 + index)}:${ref}`;
  if (ref === '.') {
    log(`${label}: building the working tree`);
    build(REPO_ROOT);
    return { ref, label, root: REPO_ROOT };
  }
  const commit = git(REPO_ROOT, 'rev-parse', '--verify', `${ref}^{commit}`);
  const root = join(work, `side-${index}`);
  git(REPO_ROOT, 'worktree', 'add', '--detach', root, commit);
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  log(`${label}: building ${commit.slice(0, 7)}`);
  build(root);
  return { ref, label: `${label} (${commit.slice(0, 7)})`, root };
}

function build(root: string): void {
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'inherit' },
  );
}

/** Both sides run on this checkout's node_modules, and may share one database. */
function checkComparable([a, b]: Side[]): void {
  if (!a || !b) return;
  for (const path of MUST_MATCH) {
    if (!samePath(a.ref, b.ref, path)) {
      throw new Error(
        `${path} differs between ${a.ref} and ${b.ref}: compare commits that share ` +
          'their dependencies and migrations (or run npm run bench on each)',
      );
    }
  }
}

/** Whether a file or folder is the same in two refs (`.`: the working tree). */
function samePath(a: string, b: string, path: string): boolean {
  if (a === '.' || b === '.') {
    const other = a === '.' ? b : a;
    return (
      other === '.' || git(REPO_ROOT, 'diff', '--name-only', other, '--', path) === ''
    );
  }
  const object = (ref: string) => git(REPO_ROOT, 'rev-parse', `${ref}:${path}`);
  return object(a) === object(b);
}

async function sampleOnce(
  side: Side,
  endpoint: Endpoint,
  connections: number,
  seconds: number,
): Promise<Sample> {
  const app = side.app as RunningApp;
  const before = await cpuMicros(app.pid);
  const measured = await measure({
    app,
    db: side.db as BenchDb,
    endpoint,
    connections,
    seconds,
    threads: 1,
  });
  const cpu = (await cpuMicros(app.pid)) - before;
  const responses = Object.values(measured.statuses).reduce((sum, n) => sum + n, 0);
  log(`${side.label} ${describeMeasured(measured)}`);
  if (measured.audit && !measured.audit.ok) {
    throw new Error(`vote audit failed for ${side.label}: ${measured.audit.problems}`);
  }
  return {
    rps: measured.rps,
    p99Ms: measured.p99Ms,
    cpuUsPerRequest: responses > 0 ? cpu / responses : Number.NaN,
  };
}

/** User and system CPU time of a process, in microseconds (Linux /proc). */
async function cpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / clockTicksPerSecond()) * 1e6;
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  return ticksPerSecond;
}

function summaryTable(
  endpoints: string[],
  sides: Side[],
  samples: Map<string, Sample[]>,
  run: { rounds: number; connections: number; seconds: number; db: string },
): string {
  const heading =
    `side by side on ${run.db}, ${run.connections} connections, ` +
    `${run.rounds} rounds of ${run.seconds} s; medians`;
  const rows = [['endpoint', 'build', '2xx/s', 'p99 ms', 'cpu us/req', 'b/a 2xx/s']];
  for (const endpoint of endpoints) {
    const medians = sides.map((side) => {
      const all = samples.get(`${endpoint}\t${side.label}`) ?? [];
      return {
        rps: median(all.map((s) => s.rps)),
        p99: median(all.map((s) => s.p99Ms)),
        cpu: median(all.map((s) => s.cpuUsPerRequest)),
      };
    });
    medians.forEach((m, i) => {
      const ratio = i === 1 && medians[0] ? (m.rps / medians[0].rps).toFixed(2) : '';
      const label = sides[i]?.label ?? '';
      rows.push([
        endpoint,
        label,
        m.rps.toFixed(0),
        m.p99.toFixed(1),
        m.cpu.toFixed(0),
        ratio,
      ]);
    });
  }
  return `\n${heading}\n\n${table(rows)}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function removeWorktree(root: string): void {
  try {
    git(REPO_ROOT, 'worktree', 'remove', '--force', root);
  } catch (err) {
    log(`could not remove the worktree ${root}: ${String(err)}`);
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function flag(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function log(message: string): void {
  console.error(`[compare ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
