import type { Endpoint } from '../endpoints.js';
import { measureRun, type StageContext } from './context.js';
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
          await measureRun(
            ctx,
            { app, db, endpoint, connections: CONNECTIONS },
            { stage: 'workers', db: kind, workers },
          );
        }
      });
    }
  }
}
