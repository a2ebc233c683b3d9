import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_POLL_SLUG } from '../src/polls/model.js';
import { VotesUnavailableError } from '../src/votes/writer.js';
import {
  cookieOf,
  createPoll,
  expirePoll,
  storedCounts,
  type TestApp,
  testApp,
} from './helpers/app.js';

// The lane writes through the same vote writer as the route, whose behaviour
// on each database the other suites cover; SQLite in memory needs no server.
const SQLITE = { name: 'sqlite' as const, url: 'sqlite::memory:' };

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Headers a socket adds and `inject` does not. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function kept(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!TRANSPORT_HEADERS.has(name) && value !== undefined) out[name] = String(value);
  }
  return out;
}

describe('hot votes: form votes answered before routing', () => {
  let t: TestApp;
  let port: number;
  let defaultPollId: number;

  before(async () => {
    t = await testApp(SQLITE);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
    const poll = await t.services.polls.bySlug(DEFAULT_POLL_SLUG);
    assert.ok(poll);
    defaultPollId = poll.id;
    // Two votes on every option first, so that the pages below say "votes"
    // whichever answer moved a count on by one.
    for (const option of [...poll.options, ...poll.options]) {
      const voted = await t.app.inject({
        method: 'POST',
        url: '/vote.html',
        headers: FORM,
        payload: `vote=${option.id}`,
      });
      assert.equal(voted.statusCode, 200);
    }
  });
  after(() => t.close());

  async function hotVotes(): Promise<number> {
    const metric = t.services.metrics.registry.getSingleMetric('polling_hot_votes_total');
    assert.ok(metric, 'the hot-vote counter is registered');
    return (await metric.get()).values[0]?.value ?? 0;
  }

  /** A POST over a real socket, which the lane sees first. */
  function post(
    path: string,
    body: string,
    headers: Record<string, string> = FORM,
    { chunked = false } = {},
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const length = chunked
        ? { 'transfer-encoding': 'chunked' }
        : { 'content-length': String(Buffer.byteLength(body)) };
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          headers: { ...headers, ...length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: kept(res.headers),
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The same POST through Fastify's own route: `inject` never passes the lane. */
  async function routed(
    url: string,
    payload: string,
    headers: Record<string, string> = FORM,
  ): Promise<Answer> {
    const response = await t.app.inject({ method: 'POST', url, payload, headers });
    return {
      status: response.statusCode,
      headers: kept(response.headers),
      body: response.body,
    };
  }

  /** Headers that differ between any two answers by design: a new voter, the limit's count. */
  function comparable(answer: Answer): Answer {
    const headers = { ...answer.headers };
    for (const name of ['set-cookie', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      assert.equal(name in headers, name in answer.headers);
      delete headers[name];
    }
    return { ...answer, headers };
  }

  for (const url of ['/vote.html', `/p/${DEFAULT_POLL_SLUG}/vote`]) {
    it(`counts a new voter's form vote on ${url} once, answering as the route does`, async () => {
      const before = await storedCounts(t, defaultPollId);
      const lanesBefore = await hotVotes();

      const hot = await post(url, 'vote=2');
      assert.equal(await hotVotes(), lanesBefore + 1, 'the vote took the lane');
      assert.equal(hot.status, 200);
      assert.match(hot.body, /your vote was counted/);
      const after = await storedCounts(t, defaultPollId);
      assert.equal(after.ballots, before.ballots + 1);
      assert.equal(after.votes[1], (before.votes[1] ?? 0) + 1);

      // The route's answer to another new voter: the same page and headers,
      // but for the counts, which this vote moved on by one.
      const route = await routed(url, 'vote=2');
      assert.equal(route.status, 200);
      const digitsAway = (a: Answer) => ({ ...a, body: a.body.replace(/\d+/g, '#') });
      assert.deepEqual(digitsAway(comparable(hot)), digitsAway(comparable(route)));

      // The cookie the lane handed out names a voter the route knows.
      const again = await routed(url, 'vote=1', { ...FORM, cookie: cookieOf(hot) });
      assert.equal(again.status, 409);
    });
  }

  it('answers a repeat vote, a bad choice and several values with the route bytes', async () => {
    const first = await post('/vote.html', 'vote=1');
    const cookie = cookieOf(first);
    assert.ok(cookie.startsWith('voter='), first.headers['set-cookie']);
    const voter = { ...FORM, cookie };
    const before = await storedCounts(t, defaultPollId);

    for (const body of [
      'vote=1',
      'vote=3&vote=1',
      'vote=99',
      'vote=',
      'other=1',
      '%zz=1',
    ]) {
      const lanesBefore = await hotVotes();
      const hot = await post('/vote.html', body, voter);
      assert.equal(await hotVotes(), lanesBefore + 1, `${body} took the lane`);
      assert.ok(hot.status === 409 || hot.status === 400, `${body}: ${hot.status}`);
      assert.deepEqual(
        comparable(hot),
        comparable(await routed('/vote.html', body, voter)),
      );
    }
    assert.deepEqual(await storedCounts(t, defaultPollId), before, 'nothing counted');
  });

  it('counts every value of a multiple-choice form but the button', async () => {
    const poll = await createPoll(t, {
      question: 'Which ones?',
      options: ['red', 'green', 'blue'],
      kind: 'multiple',
      maxChoices: 3,
    });
    const url = `/p/${poll.slug}/vote`;
    await routed(url, 'vote=1'); // the route fills the store's memory first
    const [red, green] = (await t.services.polls.bySlug(poll.slug))?.options ?? [];
    assert.ok(red && green);
    const before = await storedCounts(t, poll.id);
    const lanesBefore = await hotVotes();
    const hot = await post(url, `vote=${red.id}&vote=${green.id}&vote=Vote`);
    assert.equal(hot.status, 200, hot.body);
    assert.equal(await hotVotes(), lanesBefore + 1);
    const after = await storedCounts(t, poll.id);
    assert.deepEqual(after.votes, [
      (before.votes[0] ?? 0) + 1,
      (before.votes[1] ?? 0) + 1,
      before.votes[2],
    ]);
  });

  it('answers a database that stays away with 503 and Retry-After, as the route does', async () => {
    const votes = t.services.votes;
    const submit = votes.submit;
    votes.submit = async () => {
      throw new VotesUnavailableError(new Error('connection refused'));
    };
    try {
      const lanesBefore = await hotVotes();
      const hot = await post('/vote.html', 'vote=1');
      assert.equal(await hotVotes(), lanesBefore + 1);
      assert.equal(hot.status, 503);
      assert.equal(hot.headers['retry-after'], '2');
      assert.deepEqual(comparable(hot), comparable(await routed('/vote.html', 'vote=1')));
    } finally {
      votes.submit = submit;
    }
  });

  it('leaves everything but a plain form vote on an open, public poll to the route', async () => {
    const hidden = await createPoll(t, {
      question: 'Results after voting?',
      options: ['yes', 'no'],
      resultsVisibility: 'after_vote',
    });
    const closed = await createPoll(t, { question: 'Over?', options: ['yes', 'no'] });
    await expirePoll(t, closed);
    for (const slug of [hidden.slug, closed.slug])
      await routed(`/p/${slug}/vote`, 'vote=1');

    const declined: Array<
      [string, string, Record<string, string>, { chunked?: boolean }?]
    > = [
      ['/vote.html', 'vote=1', { ...FORM, accept: 'application/json' }],
      ['/vote.html', 'vote=1', { ...FORM, 'sec-fetch-site': 'cross-site' }],
      ['/vote.html', 'vote=1', { ...FORM, origin: 'https://elsewhere.example' }],
      ['/vote.html', '{"vote":"1"}', { 'content-type': 'application/json' }],
      ['/vote.html', 'vote=1', FORM, { chunked: true }],
      ['/vote.html', `vote=1&pad=${'x'.repeat(2000)}`, FORM],
      ['/vote.html?x=1', 'vote=1', FORM],
      ['/p/no-such-poll/vote', 'vote=1', FORM],
      [`/p/${hidden.slug}/vote`, 'vote=1', FORM],
      [`/p/${closed.slug}/vote`, 'vote=1', FORM],
    ];
    for (const [url, body, headers, options] of declined) {
      const lanesBefore = await hotVotes();
      const answer = await post(url, body, headers, options);
      const what = `${url} ${body.slice(0, 20)} ${JSON.stringify(headers)}`;
      assert.ok(answer.status < 500, `${what}: ${answer.status}`);
      assert.equal(await hotVotes(), lanesBefore, `${what} did not take the lane`);
    }
  });
});

describe('hot votes: one rate limit for both paths', () => {
  let t: TestApp;
  let port: number;

  before(async () => {
    t = await testApp(SQLITE, { RATE_LIMIT_VOTES_PER_MINUTE: '3' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  it('counts lane and route votes in one window, and refuses past it with 429', async () => {
    const base = `http://127.0.0.1:${port}`;
    const statuses: number[] = [];
    const remaining: unknown[] = [];
    for (const path of ['lane', 'route', 'lane', 'lane']) {
      if (path === 'route') {
        // inject's requests come from 127.0.0.1 too, and never pass the lane.
        const response = await t.app.inject({
          method: 'POST',
          url: '/vote.html',
          headers: FORM,
          payload: 'vote=1',
        });
        statuses.push(response.statusCode);
        remaining.push(response.headers['x-ratelimit-remaining']);
        continue;
      }
      const response = await fetch(`${base}/vote.html`, {
        method: 'POST',
        headers: FORM,
        body: 'vote=1',
      });
      await response.text();
      statuses.push(response.status);
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.deepEqual(remaining, ['2', '1', '0', '0']);
  });
});
