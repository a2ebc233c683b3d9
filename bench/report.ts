import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './app.js';
import type { InsertCeiling } from './insert-ceiling.js';
import type { Measured } from './measure.js';
import type { BenchOptions } from './options.js';
import type { SseResult } from './stages/sse.js';
import type { Target } from './targets.js';

export interface Run extends Measured {
  stage: 'ceiling' | 'app' | 'workers' | 'scale';
  db: 'sqlite' | 'mariadb' | 'none';
  workers: number;
  /** Ballots in the poll while measuring (scale stage only). */
  pollSize?: number;
  /** Bare node:http req/s measured just before this run (app stage). */
  pairedHttpRps?: number;
  /** Raw MariaDB inserts/s measured just before this run (app stage, MariaDB votes). */
  pairedInsertRps?: number;
  /** App stage: the ratio of every pair of runs behind this row, which is their median. */
  pairRatios?: number[];
  /**
   * rps over the bare node:http rps at the same connection count: the paired
   * one when there is one, else the ceilings stage's.
   */
  xHttp?: number;
  /** Vote rps over the raw MariaDB insert rate (votes on MariaDB only). */
  xInsert?: number;
  /**
   * Vote rps over the vote floor's (vote-floor.mjs) at the same connection
   * count, from the ceilings stage: not paired, so a rougher figure.
   */
  xFloor?: number;
}

export interface Report {
  startedAt: string;
  finishedAt?: string;
  commit: string;
  node: string;
  cpus: number;
  loadAverageAtStart: number[];
  options: BenchOptions;
  insertCeiling?: InsertCeiling;
  runs: Run[];
  loads: { db: string; ballots: number; seconds: number }[];
  /** Live results on the app, and on a bare node:http event server for scale. */
  sse?: SseResult;
  sseCeiling?: SseResult;
  targets?: Target[];
  /** Stages skipped or cut short, and why. */
  notes: string[];
  /** Failed audits and failed stages: any entry makes the bench exit non-zero. */
  failures: string[];
}

export function newReport(options: BenchOptions): Report {
  return {
    startedAt: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    loadAverageAtStart: loadavg(),
    options,
    runs: [],
    loads: [],
    notes: [],
    failures: [],
  };
}

function gitCommit(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain') === '' ? '' : '+dirty';
    return git('rev-parse', '--short', 'HEAD') + dirty;
  } catch {
    return 'unknown';
  }
}

/**
 * Fills xHttp and xInsert: over the ceilings paired with the run when it has
 * them, else over those of the ceilings stage. Fills xFloor for votes.
 */
export function addRatios(report: Report): void {
  const ceiling = (endpoint: Run['endpoint']) =>
    report.runs.filter((r) => r.stage === 'ceiling' && r.endpoint === endpoint);
  const bare = ceiling('node:http');
  const floors = ceiling('vote floor');
  for (const run of report.runs) {
    if (run.stage === 'ceiling') continue;
    const http =
      run.pairedHttpRps ??
      (bare.find((b) => b.connections === run.connections) ?? bare[0])?.rps;
    if (http) run.xHttp = run.rps / http;
    if (run.endpoint !== 'vote') continue;
    const insert = run.pairedInsertRps ?? report.insertCeiling?.insertsPerSecond;
    if (insert && run.db === 'mariadb') run.xInsert = run.rps / insert;
    const floor = floors.find((f) => f.connections === run.connections)?.rps;
    if (floor) run.xFloor = run.rps / floor;
  }
}

export async function writeReport(report: Report): Promise<string> {
  const dir = join(REPO_ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
