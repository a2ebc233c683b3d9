// scripts/smoke.mjs against the real app on loopback, as it runs against a
// deployed stack after `npm run deploy`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HEALTH_PATH } from '../src/app.js';
import { freePort, ROOT, type RunningApp, startApp } from './running-app.js';

const SMOKE = join(ROOT, 'scripts', 'smoke.mjs');

function smoke(...args: string[]) {
  const result = spawnSync(process.execPath, [SMOKE, ...args], { encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function results(base: string) {
  return (await (await fetch(`${base}/api/v1/polls/default/results`)).json()) as {
    options: { id: number; votes: number }[];
    total: number;
  };
}

describe('the smoke test against a running app', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp({ DATABASE_URL: 'sqlite::memory:' });
  });
  after(() => app.stop());

  it('passes and the app really counted the votes it cast', async () => {
    const before = await results(app.base);
    const { code, out, err } = smoke(app.base, '--votes', '4', '--option', '3');
    assert.equal(code, 0, err);
    assert.match(out, /smoke: ok, results counted all 4 votes/);
    const now = await results(app.base);
    assert.equal(now.total, before.total + 4);
    assert.equal(now.options.find((o) => o.id === 3)?.votes, 4);
  });

  it('passes again on a poll that already has votes', () => {
    const { code, err } = smoke(app.base, '--votes', '2');
    assert.equal(code, 0, err);
  });

  it('fails with a clear message for an option the poll does not have', () => {
    const { code, err } = smoke(app.base, '--option', '999');
    assert.equal(code, 1);
    assert.match(err, /^smoke: FAILED: option 999 is not in the default poll$/m);
  });

  it('serves the path the load balancer and health extension probe', async () => {
    assert.equal((await fetch(`${app.base}${HEALTH_PATH}`)).status, 200);
  });
});

describe('the smoke test against nothing', () => {
  it('fails with a clear message when nothing listens', async () => {
    const { code, err } = smoke(`http://127.0.0.1:${await freePort()}`);
    assert.equal(code, 1);
    assert.match(
      err,
      /^smoke: FAILED: GET http:\/\/127\.0\.0\.1:\d+\/health failed: ECONNREFUSED$/m,
    );
  });

  it('prints its usage without a URL', () => {
    const { code, err } = smoke();
    assert.equal(code, 1);
    assert.match(err, /usage: node scripts\/smoke\.mjs URL/);
  });
});
