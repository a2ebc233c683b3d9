import { REPO_ROOT } from '../app.js';
import { measureInserts } from '../insert-ceiling.js';
import { describeMeasured, type Measured, summarize } from '../measure.js';
import { freePort, startNode, stopNode } from '../process.js';
import { runWrk } from '../wrk.js';
import { record, type StageContext } from './context.js';

/** Bare node:http and the vote floor at each connection count, then raw MariaDB inserts. */
export async function runCeilings(ctx: StageContext): Promise<void> {
  await measureBareHttp(ctx);
  await measureVoteFloor(ctx);

  if (!ctx.options.databases.includes('mariadb')) {
    ctx.report.notes.push('insert ceiling skipped: MariaDB not among --db');
    return;
  }
  ctx.log('ceiling: MariaDB single-row INSERTs from 32 connections');
  const insert = await measureInserts(ctx.options.mariadbUrl, 32, ctx.options.seconds);
  ctx.report.insertCeiling = insert;
  ctx.log(
    `  ${insert.insertsPerSecond.toFixed(0)} inserts/s, ` +
      `p50 ${insert.latencyMs.p50.toFixed(1)} ms, p99 ${insert.latencyMs.p99.toFixed(1)} ms`,
  );
}

async function measureBareHttp(ctx: StageContext): Promise<void> {
  await withBareHttp(async (bare) => {
    for (const connections of ctx.options.connections) {
      ctx.log(`ceiling: bare node:http, ${connections} connections`);
      const measured = await bare.measure(connections, ctx);
      record(ctx, { ...measured, stage: 'ceiling', db: 'none', workers: 1 });
      ctx.log(`  ${describeMeasured(measured)}`);
    }
  });
}

/**
 * node:http doing only the HTTP half of a form vote (vote-floor.mjs): not a
 * target's ceiling, but the line that tells the app's share of a vote's cost
 * from what a vote's request and answer cost any node:http server here.
 */
async function measureVoteFloor(ctx: StageContext): Promise<void> {
  await withBareServer('vote floor', 'bench/vote-floor.mjs', async (base) => {
    for (const connections of ctx.options.connections) {
      ctx.log(
        `ceiling: vote floor (node:http, a vote's request and answer), ${connections} connections`,
      );
      const result = await runWrk({
        url: `${base}/vote.html`,
        seconds: ctx.options.seconds,
        connections,
        threads: ctx.options.wrkThreads,
        mode: 'vote',
        optionIds: [1],
      });
      const measured = summarize('vote floor', connections, result);
      record(ctx, { ...measured, stage: 'ceiling', db: 'none', workers: 1 });
      ctx.log(`  ${describeMeasured(measured)}`);
    }
  });
}

export interface BareHttp {
  /** One wrk run against the bare server, as long as the bench's other runs unless told. */
  measure(connections: number, ctx: StageContext, seconds?: number): Promise<Measured>;
}

/** Runs `body` with the bare node:http server up, and stops it afterwards. */
export function withBareHttp<T>(body: (bare: BareHttp) => Promise<T>): Promise<T> {
  return withBareServer('bare node:http', 'bench/bare-server.mjs', (base) =>
    body({
      async measure(connections, ctx, seconds = ctx.options.seconds) {
        const result = await runWrk({
          url: `${base}/`,
          seconds,
          connections,
          threads: ctx.options.wrkThreads,
          mode: 'get',
        });
        return summarize('node:http', connections, result);
      },
    }),
  );
}

/** Runs `body` with one of the bench's plain node:http servers up on a free port. */
async function withBareServer<T>(
  name: string,
  script: string,
  body: (base: string) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startNode({
    name,
    args: [script],
    env: { ...process.env, HTTP_PORT: String(port) },
    cwd: REPO_ROOT,
    readyUrl: `${base}/`,
  });
  try {
    return await body(base);
  } finally {
    await stopNode(server);
  }
}
