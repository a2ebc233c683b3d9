import { ENDPOINTS, type Endpoint } from '../endpoints.js';
import { describeMeasured, measure } from '../measure.js';
import { record, type StageContext } from './context.js';
import { withApp } from './with-app.js';

/** Every route at every connection count, on each database, one app process. */
export async function runAppMatrix(ctx: StageContext): Promise<void> {
  for (const kind of ctx.options.databases) {
    await withApp(ctx, kind, 1, async (app, db) => {
      for (const connections of ctx.options.connections) {
        for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
          ctx.log(`app ${kind}: ${endpoint}, ${connections} connections`);
          const measured = await measure({
            app,
            db,
            endpoint,
            connections,
            seconds: ctx.options.seconds,
            threads: ctx.options.wrkThreads,
          });
          record(ctx, { ...measured, stage: 'app', db: kind, workers: 1 });
          ctx.log(`  ${describeMeasured(measured)}`);
        }
      }
    });
  }
}
