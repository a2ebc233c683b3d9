import { ENDPOINTS, type Endpoint } from '../endpoints.js';
import { measureInserts } from '../insert-ceiling.js';
import { type BareHttp, withBareHttp } from './ceilings.js';
import { measureRun, type StageContext } from './context.js';
import { withApp } from './with-app.js';

/**
 * Every route at every connection count, on each database, one app process.
 * Each run is paired with its ceiling measured just before it (bare
 * node:http at the same connection count; for MariaDB votes also the raw
 * INSERTs), so that its ratios compare two figures taken under the same
 * conditions: on this shared machine the rates drift by a third within one
 * bench run, and MariaDB is still busy for a while after a vote run.
 */
export async function runAppMatrix(ctx: StageContext): Promise<void> {
  await withBareHttp(async (bare) => {
    for (const kind of ctx.options.databases) {
      await withApp(ctx, kind, 1, async (app, db) => {
        for (const connections of ctx.options.connections) {
          for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
            ctx.log(`app ${kind}: ${endpoint}, ${connections} connections`);
            const ceilings = await pairedCeilings(ctx, bare, connections, {
              inserts: kind === 'mariadb' && endpoint === 'vote',
            });
            await measureRun(
              ctx,
              { app, db, endpoint, connections },
              { ...ceilings, stage: 'app', db: kind, workers: 1 },
            );
          }
        }
      });
    }
  });
}

async function pairedCeilings(
  ctx: StageContext,
  bare: BareHttp,
  connections: number,
  { inserts }: { inserts: boolean },
) {
  const http = await bare.measure(connections, ctx);
  ctx.log(`  paired ceiling: node:http ${http.rps.toFixed(0)}/s`);
  if (!inserts) return { pairedHttpRps: http.rps };
  const insert = await measureInserts(ctx.options.mariadbUrl, 32, ctx.options.seconds);
  ctx.log(`  paired ceiling: ${insert.insertsPerSecond.toFixed(0)} inserts/s`);
  return { pairedHttpRps: http.rps, pairedInsertRps: insert.insertsPerSecond };
}
