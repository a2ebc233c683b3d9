import { type RunningApp, startApp } from '../app.js';
import type { BenchDb } from '../db/bench-db.js';
import type { DbKind } from '../options.js';
import { openBenchDb, type StageContext } from './context.js';

/**
 * Runs `body` against the built app on a freshly emptied database, and always
 * stops the app and closes the database afterwards. Errors carry the app's last
 * output lines.
 */
export async function withApp(
  ctx: StageContext,
  kind: DbKind,
  workers: number,
  body: (app: RunningApp, db: BenchDb) => Promise<void>,
): Promise<void> {
  const db = await openBenchDb(ctx, kind);
  await db.empty();

  try {
    const app = await startApp({ db, workers, entry: 'dist' });
    ctx.log(`app up on ${kind}, WORKERS=${workers}, pid ${app.pid}`);
    try {
      await body(app, db);
    } catch (err) {
      throw withOutput(err, app.output());
    } finally {
      await app.stop();
    }
  } finally {
    await db.close();
  }
}

function withOutput(err: unknown, output: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const tail = output ? `\napp output (last lines):\n${output}` : '';
  return new Error(message + tail, { cause: err });
}
