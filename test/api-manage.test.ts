import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cookieOf,
  createPoll,
  expirePoll,
  storedCounts,
  type TestApp,
  testApp,
} from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

const HOUR = 3_600_000;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

forEachDatabase((target) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(target);
  });
  after(() => t.close());

  const vote = (slug: string, choices: number[], cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/polls/${slug}/votes`,
      headers: cookie ? { cookie } : {},
      payload: { choices },
    });

  describe('managing a poll with its token', () => {
    it('closes a poll, which then refuses votes, and reopens it, which takes them again', async () => {
      const poll = await createPoll(t, { question: 'Open?', options: ['a', 'b'] });
      const closed = await t.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${poll.slug}/close`,
        headers: bearer(poll.token),
      });
      assert.equal(closed.statusCode, 200);
      assert.equal(closed.json().open, false);
      assert.ok(closed.json().closedAt);

      const refused = await vote(poll.slug, [1]);
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'poll_closed');
      assert.equal((await storedCounts(t.services, poll.id)).ballots, 0);

      const reopened = await t.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${poll.slug}/reopen`,
        headers: bearer(poll.token),
      });
      assert.equal(reopened.statusCode, 200);
      assert.equal(reopened.json().open, true);
      assert.equal(reopened.json().closedAt, null);
      assert.equal((await vote(poll.slug, [1])).statusCode, 201);
    });

    it('reopens a poll whose closing time passed by dropping that time', async () => {
      const poll = await createPoll(t, {
        question: 'Expired?',
        options: ['a', 'b'],
        closesAt: new Date(Date.now() + HOUR).toISOString(),
      });
      await expirePoll(t, poll);

      const reopened = await t.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${poll.slug}/reopen`,
        headers: bearer(poll.token),
      });
      assert.equal(reopened.json().open, true);
      assert.equal(reopened.json().closesAt, null);
    });

    it('deletes a poll with its options and ballots', async () => {
      const poll = await createPoll(t, { question: 'Gone?', options: ['a', 'b'] });
      await vote(poll.slug, [2]);
      const deleted = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/polls/${poll.slug}`,
        headers: bearer(poll.token),
      });
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      assert.equal(
        (await t.app.inject({ url: `/api/v1/polls/${poll.slug}` })).statusCode,
        404,
      );
      const left = await storedCounts(t.services, poll.id);
      assert.deepEqual(left, { ballots: 0, votes: [], total: 0 });
    });

    const wrongAuth: Array<
      [string, (token: string, other: string) => Record<string, string>]
    > = [
      ['no Authorization header', () => ({})],
      ['a wrong token', () => bearer('AAAAAAAAAAAAAAAAAAAAAA')],
      ["another poll's token", (_token, other) => bearer(other)],
      ['the token without the Bearer scheme', (token) => ({ authorization: token })],
      ['the token in Basic', (token) => ({ authorization: `Basic ${token}` })],
    ];
    for (const [name, headers] of wrongAuth) {
      it(`refuses to close or delete with ${name}: 401, nothing changes`, async () => {
        const poll = await createPoll(t, { question: 'Mine?', options: ['a', 'b'] });
        const other = await createPoll(t, { question: 'Theirs?', options: ['a', 'b'] });
        for (const [method, action] of [
          ['POST', '/close'],
          ['DELETE', ''],
        ] as const) {
          const response = await t.app.inject({
            method,
            url: `/api/v1/polls/${poll.slug}${action}`,
            headers: headers(poll.token, other.token),
          });
          assert.equal(response.statusCode, 401);
          assert.equal(response.json().error.code, 'invalid_manage_token');
          assert.match(String(response.headers['www-authenticate']), /^Bearer/);
        }
        const after = (await t.app.inject({ url: `/api/v1/polls/${poll.slug}` })).json();
        assert.equal(after.open, true);
      });
    }

    it('lets nobody manage the seeded default poll', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/polls/default/close',
        headers: bearer('AAAAAAAAAAAAAAAAAAAAAA'),
      });
      assert.equal(response.statusCode, 401);
      assert.equal((await vote('default', [1])).statusCode, 201);
    });

    it('refuses a management call with a broken JSON body: 400, poll stays open', async () => {
      const poll = await createPoll(t, { question: 'Body?', options: ['a', 'b'] });
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${poll.slug}/close`,
        headers: { ...bearer(poll.token), 'content-type': 'application/json' },
        payload: '{"now":',
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'malformed_body');
      const after = (await t.app.inject({ url: `/api/v1/polls/${poll.slug}` })).json();
      assert.equal(after.open, true);
    });

    it('refuses slugs with characters no slug has: 400 invalid_request', async () => {
      const slug = encodeURIComponent('a b<script>');
      const calls = [
        { method: 'GET', url: `/api/v1/polls/${slug}` },
        { method: 'GET', url: `/api/v1/polls/${slug}/results` },
        { method: 'POST', url: `/api/v1/polls/${slug}/votes`, payload: { choices: [1] } },
        { method: 'POST', url: `/api/v1/polls/${slug}/close` },
        { method: 'DELETE', url: `/api/v1/polls/${slug}` },
      ] as const;
      for (const call of calls) {
        const response = await t.app.inject(call);
        assert.equal(response.statusCode, 400, call.url);
        assert.equal(response.json().error.code, 'invalid_request');
        assert.doesNotMatch(response.body, /<script>/);
      }
    });

    it('answers 404 when managing a poll that does not exist', async () => {
      const response = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/polls/nope1234',
        headers: bearer('AAAAAAAAAAAAAAAAAAAAAA'),
      });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'poll_not_found');
    });
  });

  describe('who sees the results', () => {
    it('hides after_vote results until this voter voted; the token always sees them', async () => {
      const poll = await createPoll(t, {
        question: 'Secret?',
        options: ['a', 'b'],
        resultsVisibility: 'after_vote',
      });
      const url = `/api/v1/polls/${poll.slug}/results`;
      const hidden = await t.app.inject({ url });
      assert.equal(hidden.statusCode, 403);
      assert.equal(hidden.json().error.code, 'results_hidden');
      const csv = await t.app.inject({ url: `${url}.csv` });
      assert.equal(csv.statusCode, 403);

      const manager = await t.app.inject({ url, headers: bearer(poll.token) });
      assert.equal(manager.statusCode, 200);

      const voted = await vote(poll.slug, [2]);
      const mine = await t.app.inject({ url, headers: { cookie: cookieOf(voted) } });
      assert.equal(mine.statusCode, 200);
      assert.deepEqual(
        mine.json().options.map((o: { votes: number }) => o.votes),
        [0, 1],
      );
      assert.equal((await t.app.inject({ url })).statusCode, 403);
    });

    it('hides after_close results from voters until the poll closes', async () => {
      const poll = await createPoll(t, {
        question: 'Later?',
        options: ['a', 'b'],
        resultsVisibility: 'after_close',
      });
      const url = `/api/v1/polls/${poll.slug}/results`;
      const voted = await vote(poll.slug, [1]);
      const early = await t.app.inject({ url, headers: { cookie: cookieOf(voted) } });
      assert.equal(early.statusCode, 403);
      assert.match(early.json().error.message, /once it closes/);

      await t.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${poll.slug}/close`,
        headers: bearer(poll.token),
      });
      const late = await t.app.inject({ url });
      assert.equal(late.statusCode, 200);
      assert.equal(late.json().ballots, 1);
    });
  });

  describe('results as CSV', () => {
    it('serves option id, label, votes and percent, escaped and formula-safe', async () => {
      const poll = await createPoll(t, {
        question: 'CSV?',
        options: ['=cmd()', 'say "hi", all', '@x'],
      });
      await vote(poll.slug, [2]);
      const response = await t.app.inject({
        url: `/api/v1/polls/${poll.slug}/results.csv`,
      });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(String(response.headers['content-disposition']), /attachment/);
      assert.equal(
        response.body,
        '\ufeffoption_id,label,votes,percent\r\n' +
          `1,"'=cmd()",0,0.0\r\n` +
          '2,"say ""hi"", all",1,100.0\r\n' +
          `3,"'@x",0,0.0\r\n`,
      );
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every API route with tags, a summary and responses', async () => {
      const response = await t.app.inject({ url: '/api/v1/openapi.json' });
      assert.equal(response.statusCode, 200);
      const doc = response.json();
      assert.match(doc.openapi, /^3\./);
      const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods as Record<string, Record<string, unknown>>).map(
          ([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op }),
        ),
      );
      const names = operations.map((o) => o.name);
      for (const expected of [
        'GET /api/v1/polls',
        'POST /api/v1/polls',
        'GET /api/v1/polls/{slug}',
        'DELETE /api/v1/polls/{slug}',
        'GET /api/v1/polls/{slug}/results',
        'GET /api/v1/polls/{slug}/results.csv',
        'POST /api/v1/polls/{slug}/votes',
        'POST /api/v1/polls/{slug}/close',
        'POST /api/v1/polls/{slug}/reopen',
      ]) {
        assert.ok(
          names.includes(expected),
          `${expected} missing from ${names.join(', ')}`,
        );
      }
      for (const { name, op } of operations) {
        assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${name} has no tags`);
        assert.ok(op.summary, `${name} has no summary`);
        assert.ok(op.responses, `${name} has no responses`);
      }
      assert.ok(doc.components.schemas.Poll);
      assert.ok(doc.components.schemas.Error);
      assert.equal(doc.components.securitySchemes.manageToken.scheme, 'bearer');
    });
  });
});
