import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { BenchDb } from './db/bench-db.js';
import { freePort, type Started, startNode, stopNode, treeRssBytes } from './process.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface AppSpec {
  db: BenchDb;
  workers: number;
  /** 'dist' runs the build (what the bench measures); 'src' runs through tsx (tests). */
  entry: 'dist' | 'src';
  /** The checkout to run; this repository unless told (bench/compare.ts). */
  root?: string;
}

export interface RunningApp {
  baseUrl: string;
  port: number;
  pid: number;
  /** Resident memory of the app's whole process tree (primary and workers). */
  rssBytes(): Promise<number>;
  output(): string;
  stop(): Promise<void>;
}

const ENTRIES = {
  dist: ['dist/server.js'],
  src: ['--import', 'tsx', 'src/server.ts'],
};

export async function startApp(spec: AppSpec): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: spec.db.appUrl,
    HTTP_PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WORKERS: String(spec.workers),
    // Every bench voter comes from 127.0.0.1: a per-address limit would turn the
    // vote runs into a measure of 429s. The limiter still runs, with room to spare.
    RATE_LIMIT_VOTES_PER_MINUTE: '10000000',
  };
  // Set when we run under node --test; the app must not think it is a test file.
  delete env.NODE_TEST_CONTEXT;

  const started = await startNode({
    name: `app (${spec.db.kind}, WORKERS=${spec.workers})`,
    args: ENTRIES[spec.entry],
    env,
    cwd: spec.root ?? REPO_ROOT,
    readyUrl: `${baseUrl}/ready`,
  });
  // The first worker to listen answers /ready; give the others a moment to join.
  if (spec.workers > 1) await sleep(1500);
  return running(started, baseUrl, port);
}

function running(started: Started, baseUrl: string, port: number): RunningApp {
  return {
    baseUrl,
    port,
    pid: started.pid,
    rssBytes: () => treeRssBytes(started.pid),
    output: started.output,
    stop: () => stopNode(started),
  };
}
