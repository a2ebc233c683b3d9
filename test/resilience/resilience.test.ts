import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { report } from './figures.js';
import {
  killOne,
  killUnderViewers,
  restartDatabase,
  rollingRestart,
} from './scenarios.js';
import { Lab } from './setup.js';
import { missingTools } from './tools.js';
import type { LiveViewer } from './viewer.js';

const TEST_TIMEOUT_MS = 90_000;
/**
 * How long the private database stays down in the restart test. Votes
 * caught at its start wait VOTE_RETRY_MS (5 s) and get a 503; their
 * clients come back after Retry-After (2 s), still inside the outage, so
 * the outage is met both by votes already waiting and by fresh requests.
 */
const OUTAGE_MS = 8_000;
const VIEWERS = 6;

/** Answers a client may see while the database is away: none is a bare failure. */
const OUTAGE_ANSWERS = new Set([
  '409',
  '503-app+retry-after',
  '503-balancer+retry-after',
]);

const options = { timeout: TEST_TIMEOUT_MS };

/**
 * Issue 6 on this machine: each test runs a fresh three-instance cluster
 * behind HAProxy under steady voting, does something unkind to it, then
 * audits the database against what every client was told.
 */
describe('three instances behind HAProxy on one MariaDB, under steady voting', {
  skip: missingTools(),
}, () => {
  let lab: Lab;
  before(async () => {
    lab = await Lab.open();
  });
  after(async () => {
    await lab?.close();
  });

  it(
    'loses no acknowledged vote and counts none twice when an instance is killed',
    options,
    async (t) => {
      const { figures, problems } = await lab.run(killOne);
      report(t, figures);
      assert.deepEqual(problems, []);
      assert.equal(figures.votes.gaveUp, 0, 'every voter got their vote in');
      assert.ok(
        figures.votes.counted > 50,
        `only ${figures.votes.counted} votes counted`,
      );
    },
  );

  it(
    'restarts every instance with SIGTERM, one at a time, without one failed request',
    options,
    async (t) => {
      const { figures, problems } = await lab.run(rollingRestart);
      report(t, figures);
      assert.deepEqual(problems, []);
      assert.deepEqual(
        figures.notOk,
        {},
        'every request the clients sent was answered 2xx',
      );
      const { ereq, econ, eresp, hrsp5xx } = figures.balancer;
      assert.deepEqual(
        { ereq, econ, eresp, hrsp5xx },
        { ereq: 0, econ: 0, eresp: 0, hrsp5xx: 0 },
      );
    },
  );

  it(
    'rides out a database restart: readiness drops and returns, votes wait or get a 503 with Retry-After',
    options,
    async (t) => {
      const { figures, problems } = await lab.run((run) =>
        restartDatabase(run, lab.mariadb, OUTAGE_MS),
      );
      report(t, figures);
      assert.deepEqual(problems, []);
      assert.equal(figures.votes.gaveUp, 0, 'every voter got their vote in');
      const unclear = Object.keys(figures.notOk).filter(
        (key) => !OUTAGE_ANSWERS.has(key.split(' ')[1] ?? ''),
      );
      assert.deepEqual(
        unclear,
        [],
        'during the outage every failure was a 503 with Retry-After',
      );
      assert.notEqual(
        figures.recoveryMs.slowestReadinessLoss,
        undefined,
        'readiness went down',
      );
      assert.notEqual(
        figures.recoveryMs.slowestReadinessBack,
        undefined,
        'and came back',
      );
    },
  );

  it(
    'keeps live-results viewers updated after the instance they watched through dies',
    options,
    async (t) => {
      const viewers: LiveViewer[] = [];
      const { figures, problems } = await lab
        .run((run) => killUnderViewers(run, viewers, VIEWERS))
        .finally(() => {
          for (const viewer of viewers) viewer.close();
        });
      report(t, figures);
      assert.deepEqual(problems, []);
      const failures = viewers.map((v) => v.failure).filter(Boolean);
      assert.deepEqual(failures, [], 'no viewer was refused the way a browser gives up');
      assert.ok(
        Number(figures.recoveryMs.viewersOnKilledInstance) > 0,
        'someone watched the victim',
      );
      assert.notEqual(
        figures.recoveryMs.slowestViewerBack,
        undefined,
        'every viewer came back',
      );
    },
  );
});
