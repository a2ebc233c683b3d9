import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createPoll, type TestApp, testApp } from './helpers/app.js';

// The lane keeps nothing of its own (it reads the store's memory), so one
// database shows its behaviour; SQLite in memory needs no server.
const SQLITE = { name: 'sqlite' as const, url: 'sqlite::memory:' };

const RESULTS_URLS = [
  '/results.html',
  '/p/default/results',
  '/api/v1/polls/default/results',
];

/** Headers a socket adds and `inject` does not. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

describe('hot reads: repeated results reads answered before routing', () => {
  let t: TestApp;
  let base: string;

  before(async () => {
    t = await testApp(SQLITE);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(() => t.close());

  async function hotReads(): Promise<number> {
    const metric = t.services.metrics.registry.getSingleMetric('polling_hot_reads_total');
    assert.ok(metric, 'the hot-read counter is registered');
    return (await metric.get()).values[0]?.value ?? 0;
  }

  async function get(url: string, init?: RequestInit) {
    const response = await fetch(base + url, init);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!TRANSPORT_HEADERS.has(name)) headers[name] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  }

  /** What Fastify's own route answers: `inject` never passes the lane. */
  async function routed(url: string, headers: Record<string, string> = {}) {
    const response = await t.app.inject({ url, headers });
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (!TRANSPORT_HEADERS.has(name)) kept[name] = String(value);
    }
    return { status: response.statusCode, headers: kept, body: response.body };
  }

  for (const url of RESULTS_URLS) {
    it(`answers a repeat of ${url} from memory with the bytes the route sends`, async () => {
      await get(url);
      const before = await hotReads();
      const hot = await get(url);
      assert.equal(await hotReads(), before + 1, 'the second read took the lane');
      assert.deepEqual(hot, await routed(url));
      assert.equal(hot.status, 200);
    });
  }

  it('shows a committed vote on the next read, not the snapshot before it', async () => {
    const url = '/api/v1/polls/default/results';
    await get(url);
    const before = JSON.parse((await get(url)).body).total;
    const voted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/polls/default/votes',
      payload: { choices: [1] },
    });
    assert.equal(voted.statusCode, 201, voted.body);

    const after = await get(url);
    assert.equal(JSON.parse(after.body).total, before + 1);
    assert.deepEqual(after, await routed(url));
  });

  it('leaves results that depend on who asks to the route', async () => {
    const poll = await createPoll(t, {
      question: 'Shown only to voters?',
      options: ['yes', 'no'],
      resultsVisibility: 'after_vote',
    });
    const url = `/api/v1/polls/${poll.slug}/results`;
    const before = await hotReads();
    for (let i = 0; i < 3; i++) assert.equal((await get(url)).status, 403);
    const manager = { authorization: `Bearer ${poll.token}` };
    assert.equal((await get(url, { headers: manager })).status, 200);
    assert.equal((await get(url, { headers: manager })).status, 200);
    assert.equal(await hotReads(), before, 'no read of a hidden poll took the lane');
  });

  it('leaves other methods, queries and unknown polls to the route', async () => {
    const url = '/api/v1/polls/default/results';
    await get(url);
    const before = await hotReads();
    assert.equal((await get(`${url}?fresh=1`)).status, 200);
    assert.equal((await get(url, { method: 'HEAD' })).status, 200);
    assert.equal((await get(url, { method: 'POST' })).status, 404);
    assert.equal((await get('/api/v1/polls/no-such-poll/results')).status, 404);
    assert.equal((await get('/p/no-such-poll/results')).status, 404);
    assert.equal(await hotReads(), before);
  });
});
