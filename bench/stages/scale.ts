import { type RunningApp, startApp } from '../app.js';
import type { BenchDb } from '../db/bench-db.js';
import { countPoll, loadBallots, resetPoll } from '../db/poll-data.js';
import type { Endpoint } from '../endpoints.js';
import { POLL } from '../endpoints.js';
import type { DbKind } from '../options.js';
import { measureRun, openBenchDb, type StageContext } from './context.js';

const ENDPOINTS: Endpoint[] = ['results-json', 'results-page'];
const CONNECTIONS = 32;
const SMALL_POLL = 100;

/**
 * Results with a small and a huge poll. Ballots are loaded straight into the
 * database while the app is stopped, so no cache of the app hides the size.
 */
export async function runScale(ctx: StageContext): Promise<void> {
  for (const kind of ctx.options.databases) {
    const db = await openBenchDb(ctx, kind);
    try {
      await db.empty();
      await (await start(db)).stop(); // migrates and seeds the default poll
      for (const size of [SMALL_POLL, ctx.options.bigPoll]) {
        await fill(ctx, db, size);
        await measureResults(ctx, db, kind, size);
      }
      await db.empty();
    } finally {
      await db.close();
    }
  }
}

function start(db: BenchDb): Promise<RunningApp> {
  return startApp({ db, workers: 1, entry: 'dist' });
}

async function fill(ctx: StageContext, db: BenchDb, size: number): Promise<void> {
  ctx.log(`scale ${db.kind}: loading ${size} ballots`);
  const started = performance.now();
  await resetPoll(db, POLL);
  await loadBallots(db, POLL, size);
  const seconds = (performance.now() - started) / 1000;

  const counts = await countPoll(db, POLL);
  if (counts.rows !== size || counts.votes !== size || counts.ballotCount !== size) {
    throw new Error(`loading ${size} ballots left ${JSON.stringify(counts)}`);
  }
  ctx.report.loads.push({ db: db.kind, ballots: size, seconds });
  ctx.log(`  loaded in ${seconds.toFixed(1)} s`);
}

async function measureResults(
  ctx: StageContext,
  db: BenchDb,
  kind: DbKind,
  size: number,
): Promise<void> {
  const app = await start(db);
  try {
    for (const endpoint of ENDPOINTS) {
      ctx.log(`scale ${kind}: ${endpoint} with ${size} ballots`);
      await measureRun(
        ctx,
        { app, db, endpoint, connections: CONNECTIONS },
        { stage: 'scale', db: kind, workers: 1, pollSize: size },
      );
    }
  } finally {
    await app.stop();
  }
}
