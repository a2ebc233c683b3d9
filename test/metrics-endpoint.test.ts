import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { openDatabase } from '../src/db/database.js';
import { Metrics } from '../src/metrics/metrics.js';
import { metricsRoutes } from '../src/metrics/routes.js';
import { insertPoll } from '../src/polls/repository.js';
import { batchWriter } from '../src/votes/batch.js';
import { VoteWriter } from '../src/votes/writer.js';
import { cookieOf, silentLog, type TestApp, testApp } from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

/** Every sample of `name` in Prometheus text, as label text -> value. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) found.set(match[2] ?? '', Number(match[3]));
  }
  return found;
}

function value(text: string, name: string, labels = ''): number | undefined {
  return samples(text, name).get(labels);
}

async function scrape(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ url: '/metrics' });
  assert.equal(response.statusCode, 200);
  return response.body;
}

async function vote(app: FastifyInstance, slug: string, choices: number[], cookie = '') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/polls/${slug}/votes`,
    headers: cookie ? { cookie } : {},
    payload: { choices },
  });
}

forEachDatabase((target) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(target);
  });
  after(() => t.close());

  it('times each request under its route pattern, never the raw URL', async () => {
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ url: '/api/v1/polls/default/results' });
    }
    await t.app.inject({ url: '/api/v1/polls/nothing-here/results' });
    await t.app.inject({ url: '/no/such/page' });

    const text = await scrape(t.app);
    const route = '/api/v1/polls/:slug/results';
    const ok = `{method="GET",route="${route}",status_code="200"}`;
    const missing = `{method="GET",route="${route}",status_code="404"}`;
    assert.equal(value(text, 'http_request_duration_seconds_count', ok), 3);
    assert.equal(value(text, 'http_request_duration_seconds_count', missing), 1);
    assert.equal(
      value(
        text,
        'http_request_duration_seconds_count',
        '{method="GET",route="unmatched",status_code="404"}',
      ),
      1,
    );
    assert.ok(!text.includes('nothing-here') && !text.includes('/no/such/page'));
  });

  it('counts votes accepted and refused, by reason, and the batches that wrote them', async () => {
    const closesAt = Date.now() - 60_000;
    await insertPoll(t.services.db, {
      slug: 'metrics-closed',
      title: 'Closed',
      question: 'Closed?',
      kind: 'single',
      maxChoices: 1,
      resultsVisibility: 'always',
      isPublic: false,
      closesAt,
      manageTokenHash: null,
      options: ['Yes', 'No'],
    });
    const first = await vote(t.app, 'default', [1]);
    assert.equal(first.statusCode, 201);
    assert.equal((await vote(t.app, 'default', [2])).statusCode, 201);
    assert.equal((await vote(t.app, 'default', [3], cookieOf(first))).statusCode, 409);
    assert.equal((await vote(t.app, 'default', [999])).statusCode, 400);
    assert.equal((await vote(t.app, 'default', [1, 2])).statusCode, 400);
    assert.equal((await vote(t.app, 'metrics-closed', [1])).statusCode, 409);

    const text = await scrape(t.app);
    assert.equal(value(text, 'polling_votes_accepted_total'), 2);
    const refused = samples(text, 'polling_votes_refused_total');
    assert.equal(refused.get('{reason="duplicate"}'), 1);
    assert.equal(refused.get('{reason="invalid"}'), 2);
    assert.equal(refused.get('{reason="closed"}'), 1);
    // Three votes reached the writer, one batch each as they came one by one.
    assert.equal(value(text, 'polling_vote_batch_size_sum'), 3);
    assert.equal(value(text, 'polling_vote_batch_size_count'), 3);
    assert.equal(value(text, 'polling_vote_commit_seconds_count'), 3);
  });

  it('reports query latency by statement kind, and the connection pool', async () => {
    const text = await scrape(t.app);
    assert.ok(
      (value(text, 'polling_db_query_duration_seconds_count', '{kind="select"}') ?? 0) >
        0,
    );
    assert.ok(
      (value(text, 'polling_db_query_duration_seconds_count', '{kind="insert"}') ?? 0) >
        0,
    );
    // SQLite's vote batches run statements of their own, timed whole as batches.
    const updates = value(
      text,
      'polling_db_query_duration_seconds_count',
      '{kind="update"}',
    );
    if (target.name === 'sqlite') assert.equal(updates, undefined);
    else assert.ok((updates ?? 0) > 0);
    const inUse = value(text, 'polling_db_pool_connections', '{state="in_use"}');
    const idle = value(text, 'polling_db_pool_connections', '{state="idle"}');
    assert.ok(inUse !== undefined && idle !== undefined);
    if (target.name === 'sqlite') assert.equal(inUse, 1);
    else assert.ok(inUse + idle >= 1, 'the pool has opened a connection');
    assert.equal(value(text, 'polling_db_pool_waiting'), 0);
  });

  it('includes the process metrics and the live gauges', async () => {
    const response = await t.app.inject({ url: '/metrics' });
    assert.match(
      String(response.headers['content-type']),
      /^text\/plain; version=0\.0\.4/,
    );
    const text = response.body;
    assert.ok(value(text, 'process_cpu_user_seconds_total') !== undefined);
    assert.ok((value(text, 'process_resident_memory_bytes') ?? 0) > 0);
    assert.ok(value(text, 'nodejs_eventloop_lag_seconds') !== undefined);
    assert.equal(value(text, 'polling_live_subscribers'), 0);
    assert.equal(value(text, 'polling_live_polls'), 0);
    assert.equal(value(text, 'polling_vote_queue_length'), 0);
  });
});

describe('metrics of several apps in one process', () => {
  it('keeps each app’s counters apart', async () => {
    const a = await testApp({ name: 'sqlite', url: 'sqlite::memory:' });
    const b = await testApp({ name: 'sqlite', url: 'sqlite::memory:' });
    try {
      assert.equal((await vote(a.app, 'default', [1])).statusCode, 201);
      assert.equal(value(await scrape(a.app), 'polling_votes_accepted_total'), 1);
      assert.equal(value(await scrape(b.app), 'polling_votes_accepted_total'), 0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('a real unreachable database', () => {
  it('counts votes that time out as unavailable', async () => {
    // Nothing listens on loopback port 1: the writer retries, then gives up.
    const database = openDatabase({
      kind: 'mysql',
      host: '127.0.0.1',
      port: 1,
      database: 'none',
      user: 'none',
      password: '',
      ssl: false,
    });
    const metrics = new Metrics();
    const writer = new VoteWriter(batchWriter(database), silentLog, {
      retryMs: 300,
      metrics,
    });
    try {
      await assert.rejects(writer.submit(1, 'voter-unreachable-0001', [1]));
    } finally {
      await database.db.destroy();
    }
    const text = await metrics.registry.metrics();
    assert.equal(value(text, 'polling_votes_refused_total', '{reason="unavailable"}'), 1);
    assert.equal(value(text, 'polling_votes_accepted_total'), 0);
  });
});

describe('a metrics token', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    await app.register(metricsRoutes, {
      metrics: new Metrics(),
      token: 'scrape-token-0123456789',
    });
  });
  after(() => app.close());

  it('refuses a scrape without the token', async () => {
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
    const wrong = { authorization: 'Bearer scrape-token-9876543210' };
    assert.equal((await app.inject({ url: '/metrics', headers: wrong })).statusCode, 401);
  });

  it('serves a scrape that brings it', async () => {
    const headers = { authorization: 'Bearer scrape-token-0123456789' };
    const response = await app.inject({ url: '/metrics', headers });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /^# HELP /m);
  });
});
