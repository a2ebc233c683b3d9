import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../../scripts/cluster/child.js';
import type { AppInstance } from '../../scripts/cluster/instance.js';
import type { PrivateMariaDb } from '../../scripts/cluster/mariadb.js';
import { type Figures, firstVoteAfter, lastFailureAfter } from './figures.js';
import { ReadinessWatch } from './readiness.js';
import type { Run } from './setup.js';
import { LiveViewer } from './viewer.js';

/**
 * What happens to the cluster in each test, while the load runs. Each
 * returns how to compute its recovery times (in ms from the event) once
 * every request is in.
 */
type Recovery = () => Figures['recoveryMs'];

/** SIGKILL one instance; a supervisor starts it again two seconds later. */
export async function killOne({ cluster, load }: Run): Promise<Recovery> {
  const victim = cluster.instances[1] as AppInstance;
  const watch = new ReadinessWatch(cluster.instances);
  watch.start();
  const killedAt = Date.now();
  victim.signal('SIGKILL');
  await victim.exited;
  await sleep(2_000);
  await cluster.revive(victim);
  const inRotationAt = Date.now();
  await watch.stop();
  return () => ({
    firstVoteAfterKill: firstVoteAfter(load.requests, killedAt),
    lastFailureAfterKill: lastFailureAfter(load.requests, killedAt),
    victimReadyAgain: since(watch.readyAgainAt(victim.name, killedAt), killedAt),
    victimInRotationAgain: inRotationAt - killedAt,
  });
}

/** SIGTERM each instance in turn; the next goes once its replacement is in rotation. */
export async function rollingRestart({ cluster }: Run): Promise<Recovery> {
  const startedAt = Date.now();
  const each: number[] = [];
  for (const instance of cluster.instances) {
    const restartAt = Date.now();
    await cluster.restart(instance);
    each.push(Date.now() - restartAt);
  }
  const rollingMs = Date.now() - startedAt;
  return () => ({ rollingRestart: rollingMs, slowestInstance: Math.max(...each) });
}

/** Stops the database for `outageMs`, starts it again, waits for every instance. */
export async function restartDatabase(
  { cluster, load }: Run,
  mariadb: PrivateMariaDb,
  outageMs: number,
): Promise<Recovery> {
  const watch = new ReadinessWatch(cluster.instances);
  const allReady = () => cluster.instances.every((i) => watch.isReady(i.name));
  watch.start();
  await waitFor('every instance to be seen ready', async () => allReady());
  const stoppedAt = Date.now();
  await mariadb.stop();
  await sleep(outageMs);
  const restartAt = Date.now();
  await mariadb.start();
  const startedAt = Date.now();
  await waitFor('every instance to be ready again', async () => allReady());
  await watch.stop();
  assert.ok(
    cluster.instances.every((i) => i.running),
    'no instance exited',
  );

  const names = cluster.instances.map((i) => i.name);
  return () => ({
    databaseDown: startedAt - stoppedAt,
    databaseStart: startedAt - restartAt,
    firstVoteAfterDatabaseBack: firstVoteAfter(load.requests, startedAt),
    lastFailureAfterDatabaseBack: lastFailureAfter(load.requests, startedAt),
    slowestReadinessLoss: slowest(
      names.map((n) => since(watch.downAt(n, stoppedAt), stoppedAt)),
    ),
    slowestReadinessBack: slowest(
      names.map((n) => since(watch.readyAgainAt(n, restartAt), restartAt)),
    ),
  });
}

/**
 * Opens `count` live-results streams through the balancer (added to
 * `viewers`, for the caller to check and close), SIGKILLs the instance
 * serving the most of them, and waits until every viewer has seen the
 * votes acknowledged a second after the kill.
 */
export async function killUnderViewers(
  { cluster, load }: Run,
  viewers: LiveViewer[],
  count: number,
): Promise<Recovery> {
  for (let i = 0; i < count; i++) {
    const viewer = new LiveViewer(`${cluster.url}/api/v1/polls/default/events`);
    viewers.push(viewer);
    viewer.open();
  }
  await waitFor('every viewer to get results', async () =>
    viewers.every((v) => v.servedBy !== undefined && v.events.length > 0),
  );
  const victim = busiest(cluster.instances, viewers);
  const watched = viewers.filter((v) => v.servedBy === victim.name);
  const killedAt = Date.now();
  victim.signal('SIGKILL');
  await victim.exited;
  await sleep(1_000);

  // Votes acknowledged by now are in the database: every viewer must see them.
  const target = load.counted;
  await waitFor(
    `every viewer to see at least ${target} votes`,
    async () => viewers.every((v) => v.latestTotal() >= target || v.failure),
    { timeoutMs: 20_000 },
  );
  return () => ({
    viewersOnKilledInstance: watched.length,
    slowestViewerBack: slowest(watched.map((v) => backAfter(v, victim.name, killedAt))),
    firstVoteAfterKill: firstVoteAfter(load.requests, killedAt),
  });
}

/** The instance serving the most viewers: killing it proves the most. */
function busiest(instances: AppInstance[], viewers: LiveViewer[]): AppInstance {
  const count = (i: AppInstance) => viewers.filter((v) => v.servedBy === i.name).length;
  return instances.reduce((best, i) => (count(i) > count(best) ? i : best));
}

/** From the kill to the viewer's first event from another instance. */
function backAfter(viewer: LiveViewer, victim: string, killedAt: number) {
  const event = viewer.events.find((e) => e.at > killedAt && e.servedBy !== victim);
  return event ? event.at - killedAt : undefined;
}

function since(t: number | undefined, from: number): number | undefined {
  return t === undefined ? undefined : t - from;
}

/** The largest, or undefined when any is missing (that one never changed). */
function slowest(values: Array<number | undefined>): number | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  return Math.max(...(values as number[]));
}
