import type { RunningApp } from '../app.js';
import type { BenchDb } from '../db/bench-db.js';
import { mariadbBenchDb } from '../db/mariadb.js';
import { sqliteBenchDb } from '../db/sqlite.js';
import type { Endpoint } from '../endpoints.js';
import { describeMeasured, type Measured, measure } from '../measure.js';
import type { BenchOptions, DbKind } from '../options.js';
import type { Report, Run } from '../report.js';

export interface StageContext {
  options: BenchOptions;
  report: Report;
  log(message: string): void;
}

export type StageRunner = (ctx: StageContext) => Promise<void>;

export async function openBenchDb(ctx: StageContext, kind: DbKind): Promise<BenchDb> {
  return kind === 'sqlite' ? sqliteBenchDb() : mariadbBenchDb(ctx.options.mariadbUrl);
}

/** Files a measured run in the report, and a failed audit among the failures. */
export function record(ctx: StageContext, run: Run): void {
  ctx.report.runs.push(run);
  fileFailedAudit(ctx, run);
}

/** A run's failed audit goes among the failures, whether or not the run is a row. */
export function fileFailedAudit(ctx: StageContext, run: Run): void {
  if (run.audit && !run.audit.ok) {
    const where = `${run.stage} ${run.db} WORKERS=${run.workers} c=${run.connections}`;
    const message = `vote audit failed (${where}): ${run.audit.problems.join('; ')}`;
    ctx.report.failures.push(message);
    ctx.log(`!!! ${message}`);
  }
}

/** One load run of the app, at the run's length and wrk threads, filed and logged. */
export async function measureRun(
  ctx: StageContext,
  target: { app: RunningApp; db: BenchDb; endpoint: Endpoint; connections: number },
  fields: Omit<Run, keyof Measured>,
): Promise<void> {
  const measured = await measure({
    ...target,
    seconds: ctx.options.seconds,
    threads: ctx.options.wrkThreads,
  });
  record(ctx, { ...measured, ...fields });
  ctx.log(`  ${describeMeasured(measured)}`);
}
