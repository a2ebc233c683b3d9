import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, type RunningApp } from '../app.js';
import { EVENTS_PATH } from '../endpoints.js';
import { freePort, startNode, stopNode, treeRssBytes } from '../process.js';
import {
  clearArrivals,
  closeAll,
  type Subscriber,
  subscribeMany,
} from '../sse-client.js';
import type { StageContext } from './context.js';
import { withApp } from './with-app.js';

const UPDATES = 3;
const MB = 1024 * 1024;

export interface UpdateTiming {
  /** Subscribers that got the update before the timeout. */
  reached: number;
  /** From sending the vote until the last subscriber had the event; null if some never did. */
  allMs: number | null;
  p50Ms: number;
  p99Ms: number;
}

export interface SseResult {
  server: string;
  wanted: number;
  connected: number;
  failed: number;
  failureSamples: string[];
  rssIdleMB: number;
  rssWithSubscribersMB: number;
  updates: UpdateTiming[];
}

type FanOutTarget = Pick<RunningApp, 'baseUrl' | 'port' | 'rssBytes'>;

/**
 * Many subscribers to one poll on one app process: fan-out time and memory,
 * next to the same measure on a bare node:http event server.
 */
export async function runSse(ctx: StageContext): Promise<void> {
  const kind = ctx.options.databases[0] ?? 'sqlite';
  await withApp(ctx, kind, 1, async (app) => {
    const status = await probe(app.baseUrl);
    if (status !== 200) {
      const skipped = `SSE stage skipped: GET ${EVENTS_PATH} answered ${status || 'nothing'}`;
      ctx.report.notes.push(skipped);
      ctx.log(skipped);
      return;
    }
    ctx.report.sseCeiling = await bareFanOut(ctx);
    ctx.report.sse = await fanOut(ctx, app, `app on ${kind}`);
  });
}

/** The route's status, or 0 when it sends no headers within 5 s. */
async function probe(baseUrl: string): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const res = await fetch(baseUrl + EVENTS_PATH, { signal: controller.signal });
    return res.status;
  } catch {
    return 0;
  } finally {
    clearTimeout(timer);
    controller.abort(); // an event stream never ends by itself
  }
}

async function bareFanOut(ctx: StageContext): Promise<SseResult> {
  const port = await freePort();
  const server = await startNode({
    name: 'bare SSE server',
    args: ['bench/bare-sse-server.mjs'],
    env: { ...process.env, HTTP_PORT: String(port), EVENTS_PATH },
    cwd: REPO_ROOT,
    readyUrl: `http://127.0.0.1:${port}/`,
  });
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    const target = { baseUrl, port, rssBytes: () => treeRssBytes(server.pid) };
    return await fanOut(ctx, target, 'bare node:http');
  } finally {
    await stopNode(server);
  }
}

export async function fanOut(
  ctx: StageContext,
  target: FanOutTarget,
  server: string,
): Promise<SseResult> {
  const wanted = ctx.options.sseSubscribers;
  const rssIdle = await target.rssBytes();
  ctx.log(`sse ${server}: opening ${wanted} subscribers`);
  const opened = await subscribeMany(target.port, EVENTS_PATH, wanted);
  const subs = opened.subscribers;

  try {
    await quiet(subs);
    const rssWith = await target.rssBytes();
    ctx.log(`  ${subs.length} connected, RSS ${(rssWith / MB).toFixed(0)} MB`);
    // The first fan-out also pays for warming up (JIT, buffers): measure the steady state.
    const warmUp = await timeUpdate(target.baseUrl, subs, 1);
    ctx.log(`  warm-up update: ${JSON.stringify(warmUp)}`);
    const updates: UpdateTiming[] = [];
    for (let i = 0; i < UPDATES; i++) {
      await sleep(500);
      updates.push(await timeUpdate(target.baseUrl, subs, i + 2));
      ctx.log(`  update ${i + 1}: ${JSON.stringify(updates.at(-1))}`);
    }
    return {
      server,
      wanted,
      connected: subs.length,
      failed: opened.failed,
      failureSamples: opened.failures,
      rssIdleMB: rssIdle / MB,
      rssWithSubscribersMB: rssWith / MB,
      updates,
    };
  } finally {
    closeAll(subs);
  }
}

/** Waits until no subscriber has received anything for a second (initial events). */
async function quiet(subs: Subscriber[], limitMs = 30_000): Promise<void> {
  const total = () => subs.reduce((n, s) => n + s.events, 0);
  const deadline = Date.now() + limitMs;
  let last = -1;
  while (Date.now() < deadline && total() !== last) {
    last = total();
    await sleep(1000);
  }
}

/** Casts one vote and times its `results` event reaching every subscriber. */
async function timeUpdate(
  baseUrl: string,
  subs: Subscriber[],
  option: number,
): Promise<UpdateTiming> {
  clearArrivals(subs);
  const sentAt = performance.now();
  const res = await fetch(`${baseUrl}/vote.html`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `vote=${option}`,
  });
  await res.arrayBuffer();
  if (res.status >= 300)
    throw new Error(`the vote that should trigger an update got ${res.status}`);

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && subs.some((s) => s.arrivedAt === undefined))
    await sleep(10);
  return timing(subs, sentAt);
}

function timing(subs: Subscriber[], sentAt: number): UpdateTiming {
  const delays = subs
    .flatMap((s) => (s.arrivedAt === undefined ? [] : [s.arrivedAt - sentAt]))
    .sort((a, b) => a - b);
  const at = (q: number) =>
    delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0;
  return {
    reached: delays.length,
    allMs: delays.length === subs.length ? (delays.at(-1) ?? 0) : null,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
