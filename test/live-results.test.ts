import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { insertPoll } from '../src/polls/repository.js';
import { hashToken } from '../src/polls/tokens.js';
import { type TestApp, testApp } from './helpers/app.js';
import { forEachDatabase, type TestDatabase } from './helpers/databases.js';

const MANAGE_TOKEN = 'manage-token-for-live-tests';

interface ServerEvent {
  event: string;
  data: string;
  at: number;
}

interface ResultsJson {
  poll: { slug: string; open: boolean };
  options: Array<{ id: number; votes: number }>;
  ballots: number;
  total: number;
}

/** A real EventSource-like client: one socket, events parsed as the spec says. */
class EventStream {
  readonly events: ServerEvent[] = [];
  retry: number | undefined;
  ended = false;
  #buffer = '';
  #seen = 0;
  #wake: (() => void) | undefined;
  #close: () => void = () => {};

  static open(
    base: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<EventStream> {
    const stream = new EventStream();
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, base), { agent: false, headers }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => stream.#take(chunk));
        res.on('close', () => {
          stream.ended = true;
          stream.#wake?.();
        });
        resolve(stream);
      });
      req.on('error', reject);
      req.end();
      stream.#close = () => req.destroy();
    });
  }

  /** The next event not yet returned, or a failure after `timeoutMs`. */
  async next(timeoutMs = 2000): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    while (this.#seen >= this.events.length) {
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) throw new Error('no event arrived in time');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, left);
      });
    }
    return this.events[this.#seen++] as ServerEvent;
  }

  /** Waits for a results event that passes `test`, skipping the others. */
  async until(test: (r: ResultsJson) => boolean, timeoutMs = 2000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await this.next(deadline - Date.now());
      const results = JSON.parse(event.data) as ResultsJson;
      if (event.event === 'results' && test(results)) return { results, at: event.at };
    }
  }

  close() {
    this.#close();
  }

  #take(chunk: string) {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\n\n');
    while (end >= 0) {
      this.#parse(this.#buffer.slice(0, end));
      this.#buffer = this.#buffer.slice(end + 2);
      end = this.#buffer.indexOf('\n\n');
    }
  }

  #parse(block: string) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'event') event = value;
      if (field === 'data') data.push(value);
      if (field === 'retry') this.retry = Number(value);
    }
    if (data.length === 0) return;
    this.events.push({ event, data: data.join('\n'), at: Date.now() });
    this.#wake?.();
  }
}

async function resultsOf(app: FastifyInstance, slug = 'default'): Promise<ResultsJson> {
  const response = await app.inject({ url: `/api/v1/polls/${slug}/results` });
  assert.equal(response.statusCode, 200);
  return response.json();
}

/** A vote by a new voter (no cookie), through the JSON API. */
async function vote(app: FastifyInstance, option: number) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/polls/default/votes',
    payload: { choices: [option] },
  });
  assert.equal(response.statusCode, 201, response.body);
}

/** A metric's value from GET /metrics, summed over the series matching `labels`. */
async function metric(app: FastifyInstance, name: string, labels = ''): Promise<number> {
  const text = (await app.inject({ url: '/metrics' })).body;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      if (line.includes(labels)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

async function waitFor(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** SQLite shares a database between two apps only through a file. */
function shareable(target: TestDatabase, file: string): TestDatabase {
  return target.name === 'sqlite' ? { ...target, url: `sqlite:${file}` } : target;
}

forEachDatabase((target) => {
  const file = join(tmpdir(), `polling-live-${process.pid}-${target.name}.db`);
  const shared = shareable(target, file);
  let a: TestApp;
  let b: TestApp;
  let baseA: string;
  const events = '/api/v1/polls/default/events';

  before(async () => {
    await rm(file, { force: true });
    // Two instances on one database, as behind a load balancer without sticky sessions.
    a = await testApp(shared);
    b = await testApp(shared, {}, { keepData: true });
    baseA = await a.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await a.close();
    await b.close();
    await rm(file, { force: true });
  });

  it('sends the current results at once, as the results endpoint gives them', async () => {
    const stream = await EventStream.open(baseA, events);
    try {
      const first = await stream.next();
      assert.equal(first.event, 'results');
      assert.deepEqual(JSON.parse(first.data), await resultsOf(a.app));
      assert.ok(stream.retry && stream.retry > 0, 'the stream sets retry');
    } finally {
      stream.close();
    }
  });

  it('answers with an event stream that no cache or proxy may buffer', async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(new URL(events, baseA), { agent: false }, (res) => {
        resolve(res.headers);
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    assert.match(String(headers['content-type']), /^text\/event-stream/);
    assert.match(String(headers['cache-control']), /no-cache/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['x-served-by'], 'test-host');
  });

  it('pushes a vote counted by the same instance within a second', async (t) => {
    const stream = await EventStream.open(baseA, events);
    try {
      const { results: before } = await stream.until(() => true);
      const sentAt = Date.now();
      await vote(a.app, 2);
      const { results, at } = await stream.until((r) => r.ballots > before.ballots, 1000);
      assert.equal(results.ballots, before.ballots + 1);
      assert.equal(results.options[1]?.votes, (before.options[1]?.votes ?? 0) + 1);
      assert.ok(at - sentAt < 1000, `arrived after ${at - sentAt} ms`);
      t.diagnostic(`arrived ${at - sentAt} ms after the vote was sent`);
    } finally {
      stream.close();
    }
  });

  it('pushes a vote counted by another instance on the same database within 1.5 s', async (t) => {
    const stream = await EventStream.open(baseA, events);
    try {
      const { results: before } = await stream.until(() => true);
      const sentAt = Date.now();
      await vote(b.app, 3);
      const { results, at } = await stream.until((r) => r.ballots > before.ballots, 1500);
      assert.equal(results.options[2]?.votes, (before.options[2]?.votes ?? 0) + 1);
      assert.ok(at - sentAt <= 1500, `arrived after ${at - sentAt} ms`);
      t.diagnostic(`arrived ${at - sentAt} ms after the vote was sent`);
    } finally {
      stream.close();
    }
  });

  it('reads the database once per interval however many subscribers watch', async (t) => {
    const polls = a.services.polls;
    const read = polls.freshResults.bind(polls);
    let reads = 0;
    polls.freshResults = (id) => {
      reads++;
      return read(id);
    };
    const streams = await Promise.all(
      Array.from({ length: 200 }, () => EventStream.open(baseA, events)),
    );
    try {
      await Promise.all(streams.map((s) => s.next()));
      reads = 0;
      const selectsBefore = await metric(
        a.app,
        'polling_db_query_duration_seconds_count',
      );
      await sleep(2000);
      const selects =
        (await metric(a.app, 'polling_db_query_duration_seconds_count')) - selectsBefore;
      // Every 500 ms: about 4 reads in 2 s, whether 1 or 200 people watch.
      assert.ok(reads >= 3 && reads <= 5, `${reads} reads in 2 s for 200 subscribers`);
      assert.ok(selects <= 20, `${selects} queries in 2 s for 200 subscribers`);
      assert.equal(await metric(a.app, 'polling_live_subscribers'), 200);
      t.diagnostic(`${reads} reads and ${selects} queries in 2 s for 200 subscribers`);
    } finally {
      for (const s of streams) s.close();
      polls.freshResults = read;
    }
  });

  it('forgets subscribers that disconnect, and stops reading a poll nobody watches', async () => {
    const streams = await Promise.all(
      Array.from({ length: 50 }, () => EventStream.open(baseA, events)),
    );
    await Promise.all(streams.map((s) => s.next()));
    assert.ok(a.services.live.subscribers >= 50);
    for (const s of streams) s.close();
    assert.ok(
      await waitFor(() => a.services.live.subscribers === 0, 2000),
      `${a.services.live.subscribers} subscribers left`,
    );
    assert.equal(a.services.live.polls, 0);
    const readsBefore = await metric(a.app, 'polling_live_reads_total');
    await sleep(700);
    assert.equal(await metric(a.app, 'polling_live_reads_total'), readsBefore);
  });

  it('refuses a stream for a poll that does not exist', async () => {
    const response = await a.app.inject({ url: '/api/v1/polls/no-such-poll/events' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error.code, 'poll_not_found');
  });

  const hiddenPoll = (slug: string, visibility: 'after_close' | 'after_vote') =>
    insertPoll(a.services.db, {
      slug,
      title: slug,
      question: `${slug}?`,
      kind: 'single',
      maxChoices: 1,
      resultsVisibility: visibility,
      isPublic: false,
      closesAt: null,
      manageTokenHash: hashToken(MANAGE_TOKEN),
      options: ['Yes', 'No'],
    });

  it('streams results hidden until the poll closes to its manager only', async () => {
    await hiddenPoll('live-after-close', 'after_close');
    const path = '/api/v1/polls/live-after-close/events';
    const refused = await a.app.inject({ url: path });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'results_hidden');

    const manager = { authorization: `Bearer ${MANAGE_TOKEN}` };
    const stream = await EventStream.open(baseA, path, manager);
    stream.close();
  });

  it('streams results shown after a vote to those who voted', async () => {
    await hiddenPoll('live-after-vote', 'after_vote');
    const path = '/api/v1/polls/live-after-vote/events';
    assert.equal((await a.app.inject({ url: path })).statusCode, 403);

    const voted = await a.app.inject({
      method: 'POST',
      url: '/api/v1/polls/live-after-vote/votes',
      payload: { choices: [1] },
    });
    assert.equal(voted.statusCode, 201);
    const cookie = String(voted.headers['set-cookie']).split(';')[0] ?? '';
    const stream = await EventStream.open(baseA, path, { cookie });
    try {
      const { results } = await stream.until(() => true);
      assert.equal(results.ballots, 1);
    } finally {
      stream.close();
    }
  });
});

describe('closing an app with open streams', () => {
  it('ends every stream so the server can stop', async () => {
    const t = await testApp({ name: 'sqlite', url: 'sqlite::memory:' });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const streams = await Promise.all(
      Array.from({ length: 5 }, () =>
        EventStream.open(base, '/api/v1/polls/default/events'),
      ),
    );
    await Promise.all(streams.map((s) => s.next()));

    const closing = t.close().then(() => 'closed');
    const outcome = await Promise.race([closing, sleep(3000).then(() => 'stuck')]);
    assert.equal(outcome, 'closed');
    assert.ok(await waitFor(() => streams.every((s) => s.ended), 1000));
  });
});
