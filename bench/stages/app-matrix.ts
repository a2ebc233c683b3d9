import type { RunningApp } from '../app.js';
import type { BenchDb } from '../db/bench-db.js';
import { ENDPOINTS, type Endpoint } from '../endpoints.js';
import { measureInserts } from '../insert-ceiling.js';
import { describeMeasured, measure } from '../measure.js';
import type { Run } from '../report.js';
import { type BareHttp, withBareHttp } from './ceilings.js';
import { fileFailedAudit, record, type StageContext } from './context.js';
import { withApp } from './with-app.js';

/**
 * Every route at every connection count, on each database, one app process.
 * Each row is the median of `pairs` pairs of runs, each pair a ceiling
 * measured just before the app's run (bare node:http at the same connection
 * count; for MariaDB votes also the raw INSERTs), so that its ratio compares
 * two figures taken under the same conditions. On this shared machine the
 * rates drift by a third within one bench run, and a single pair was seen
 * to halve a ratio that the runs around it held; the median of several
 * short pairs rides that out.
 */
export async function runAppMatrix(ctx: StageContext): Promise<void> {
  await withBareHttp(async (bare) => {
    for (const kind of ctx.options.databases) {
      await withApp(ctx, kind, 1, async (app, db) => {
        await warmUp(ctx, { app, db });
        for (const connections of ctx.options.connections) {
          for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
            ctx.log(`app ${kind}: ${endpoint}, ${connections} connections`);
            const inserts = kind === 'mariadb' && endpoint === 'vote';
            const pairs: Run[] = [];
            const seconds = Math.max(2, ctx.options.seconds / ctx.options.pairs);
            for (let i = 0; i < ctx.options.pairs; i++) {
              const ceilings = await pairedCeilings(ctx, bare, connections, {
                inserts,
                seconds,
              });
              const measured = await measure({
                app,
                db,
                endpoint,
                connections,
                seconds,
                threads: ctx.options.wrkThreads,
              });
              ctx.log(`  ${describeMeasured(measured)}`);
              const run: Run = {
                ...measured,
                ...ceilings,
                stage: 'app',
                db: kind,
                workers: 1,
              };
              fileFailedAudit(ctx, run);
              pairs.push(run);
            }
            record(ctx, medianPair(pairs, inserts));
          }
        }
      });
    }
  });
}

/**
 * Two seconds of votes and of results reads, not recorded (a failed audit
 * still is): the first run after the app starts met a cold JIT and, on
 * MariaDB, a pool still opening its connections, and its pair's ratio was
 * half the next ones'.
 */
async function warmUp(ctx: StageContext, target: { app: RunningApp; db: BenchDb }) {
  for (const endpoint of ['vote', 'results-page'] as const) {
    const measured = await measure({
      ...target,
      endpoint,
      connections: 32,
      seconds: 2,
      threads: ctx.options.wrkThreads,
    });
    ctx.log(`  warm-up ${describeMeasured(measured)}`);
    fileFailedAudit(ctx, { ...measured, stage: 'app', db: target.db.kind, workers: 1 });
  }
}

/**
 * The pair whose ratio (over inserts for MariaDB votes, else over node:http)
 * is the median, carrying every pair's ratio for the JSON report.
 */
export function medianPair(pairs: Run[], overInserts: boolean): Run {
  const ratio = (r: Run) =>
    r.rps / ((overInserts ? r.pairedInsertRps : r.pairedHttpRps) ?? Number.NaN);
  const sorted = [...pairs].sort((a, b) => ratio(a) - ratio(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('medianPair needs at least one pair');
  return { ...median, pairRatios: pairs.map(ratio) };
}

async function pairedCeilings(
  ctx: StageContext,
  bare: BareHttp,
  connections: number,
  { inserts, seconds }: { inserts: boolean; seconds: number },
) {
  const http = await bare.measure(connections, ctx, seconds);
  ctx.log(`  paired ceiling: node:http ${http.rps.toFixed(0)}/s`);
  if (!inserts) return { pairedHttpRps: http.rps };
  const insert = await measureInserts(ctx.options.mariadbUrl, 32, seconds);
  ctx.log(`  paired ceiling: ${insert.insertsPerSecond.toFixed(0)} inserts/s`);
  return { pairedHttpRps: http.rps, pairedInsertRps: insert.insertsPerSecond };
}
