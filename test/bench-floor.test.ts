import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../bench/app.js';
import { freePort, type Started, startNode, stopNode } from '../bench/process.js';
import { runWrk } from '../bench/wrk.js';
import { type TestApp, testApp } from './helpers/app.js';
import { formHeaders, httpClient } from './helpers/http.js';

/** Headers every node:http answer carries, whoever wrote the rest. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

// The bench's vote floor is only worth its row while its answer is the
// size and shape of the app's: this holds the two together.
describe('bench vote floor', () => {
  let t: TestApp;
  let floor: Started;
  let floorUrl: string;
  const http = httpClient(1);

  before(async () => {
    t = await testApp(
      { name: 'sqlite', url: 'sqlite::memory:' },
      { RATE_LIMIT_VOTES_PER_MINUTE: '10000000' },
    );
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = await freePort();
    floorUrl = `http://127.0.0.1:${port}`;
    floor = await startNode({
      name: 'vote floor',
      args: ['bench/vote-floor.mjs'],
      env: { ...process.env, HTTP_PORT: String(port) },
      cwd: REPO_ROOT,
      readyUrl: `${floorUrl}/`,
    });
  });

  after(async () => {
    http.close();
    await stopNode(floor);
    await t.close();
  });

  it('answers a form vote with the app’s headers and about its bytes', async () => {
    const { port } = t.app.server.address() as AddressInfo;
    const vote = { method: 'POST', body: 'vote=1', headers: formHeaders };
    const app = await http.send(`http://127.0.0.1:${port}`, '/vote.html', vote);
    const bare = await http.send(floorUrl, '/vote.html', vote);

    assert.equal(app.status, 200);
    assert.equal(bare.status, 200);
    const names = (headers: Record<string, unknown>) =>
      Object.keys(headers)
        .filter((name) => !TRANSPORT_HEADERS.has(name))
        .sort();
    assert.deepEqual(names(bare.headers), names(app.headers));
    // The floor copies the app's header values (it is plain JavaScript, with
    // no build to import them from): their bytes must stay about the same.
    const bytes = (headers: Record<string, unknown>) =>
      names(headers).reduce(
        (sum, name) => sum + name.length + String(headers[name]).length,
        0,
      );
    const headerRatio = bytes(bare.headers) / bytes(app.headers);
    assert.ok(headerRatio > 0.95 && headerRatio < 1.05, `header bytes ${headerRatio}`);
    const ratio = bare.body.length / app.body.length;
    assert.ok(
      ratio > 0.9 && ratio < 1.1,
      `floor ${bare.body.length} B, app ${app.body.length} B`,
    );
  });

  it('is loaded by wrk for a run given in fractions of a second', async () => {
    // The bench splits a run into pairs: 10 s over three is 3.33 s a run.
    const result = await runWrk({
      url: `${floorUrl}/`,
      seconds: 1.4,
      connections: 2,
      threads: 1,
      mode: 'get',
    });
    assert.ok(result.requests > 0);
    assert.ok(
      result.durationUs >= 0.9e6 && result.durationUs < 1.9e6,
      `${result.durationUs} us`,
    );
  });
});
