import type { Endpoint } from '../endpoints.js';
import { describeMeasured, measure } from '../measure.js';
import { record, type StageContext } from './context.js';
import { withApp } from './with-app.js';

const ENDPOINTS: Endpoint[] = ['vote', 'results-json', 'results-page'];
const CONNECTIONS = 32;

/** The same routes with one and with two app processes (WORKERS), side by side. */
export async function runWorkers(ctx: StageContext): Promise<void> {
  for (const kind of ctx.options.databases) {
    for (const workers of [1, 2]) {
      await withApp(ctx, kind, workers, async (app, db) => {
        for (const endpoint of ENDPOINTS) {
          ctx.log(`workers ${kind}: WORKERS=${workers}, ${endpoint}`);
          const measured = await measure({
            app,
            db,
            endpoint,
            connections: CONNECTIONS,
            seconds: ctx.options.seconds,
            threads: ctx.options.wrkThreads,
          });
          record(ctx, { ...measured, stage: 'workers', db: kind, workers });
          ctx.log(`  ${describeMeasured(measured)}`);
        }
      });
    }
  }
}
