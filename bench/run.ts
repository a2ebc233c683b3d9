/**
 * The benchmark of issue 5: ceilings, the app on SQLite and MariaDB, workers,
 * poll size and live results, in one run. See bench/README.md.
 *
 *   npm run bench [-- --quick] [-- --stages=app,sse] [-- --db=sqlite] [-- --no-build]
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './app.js';
import { readOptions, type Stage } from './options.js';
import { addRatios, newReport, writeReport } from './report.js';
import { runAppMatrix } from './stages/app-matrix.js';
import { runCeilings } from './stages/ceilings.js';
import type { StageContext, StageRunner } from './stages/context.js';
import { runScale } from './stages/scale.js';
import { runSse } from './stages/sse.js';
import { runWorkers } from './stages/workers.js';
import { formatReport } from './table.js';
import { checkTargets } from './targets.js';
import { checkWrk } from './wrk.js';

const RUNNERS: Record<Stage, StageRunner> = {
  ceilings: runCeilings,
  app: runAppMatrix,
  workers: runWorkers,
  scale: runScale,
  sse: runSse,
};

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2), process.env);
  await checkWrk();
  if (options.build) build();

  const ctx: StageContext = { options, report: newReport(options), log };
  for (const stage of options.stages) await runStage(ctx, stage);
  return finish(ctx);
}

function build(): void {
  log('building the app (npm run build)');
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`npm run build failed (exit ${result.status})`);
}

/** A failed stage is reported and the bench goes on, so one run shows everything. */
async function runStage(ctx: StageContext, stage: Stage): Promise<void> {
  const started = performance.now();
  try {
    await RUNNERS[stage](ctx);
  } catch (err) {
    const message = `stage ${stage} failed: ${err instanceof Error ? err.message : String(err)}`;
    ctx.report.failures.push(message);
    log(`!!! ${message}`);
  }
  log(`stage ${stage} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function finish(ctx: StageContext): Promise<number> {
  const { report } = ctx;
  report.finishedAt = new Date().toISOString();
  addRatios(report);
  report.targets = checkTargets(report);
  const file = await writeReport(report);

  process.stdout.write(formatReport(report));
  process.stdout.write(`\nwritten to ${file}\n`);
  if (report.failures.length > 0) {
    process.stderr.write(
      `\nbench FAILED: ${report.failures.length} failure(s), listed above\n`,
    );
    return 1;
  }
  return 0;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
