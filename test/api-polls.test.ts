import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  cookieOf,
  createPoll,
  expirePoll,
  pollCount,
  storedCounts,
  type TestApp,
  testApp,
} from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

const json = { 'content-type': 'application/json' };
const HOUR = 3_600_000;

forEachDatabase((target) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(target);
  });
  after(() => t.close());

  describe('creating polls', () => {
    it('creates a poll and answers 201 with its share link, management link and token', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/polls',
        payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
      });
      assert.equal(response.statusCode, 201);
      const body = response.json();
      assert.match(body.poll.slug, /^[A-Za-z0-9]{8}$/);
      assert.equal(response.headers.location, `/api/v1/polls/${body.poll.slug}`);
      assert.equal(body.links.share, `http://localhost:80/p/${body.poll.slug}`);
      assert.equal(
        body.links.manage,
        `http://localhost:80/m/${body.poll.slug}/${body.manageToken}`,
      );
      assert.deepEqual(body.poll.options, [
        { id: 1, label: 'Tea' },
        { id: 2, label: 'Coffee' },
      ]);
      assert.equal(body.poll.kind, 'single');
      assert.equal(body.poll.resultsVisibility, 'always');
      assert.equal(body.poll.open, true);
      assert.equal(body.poll.public, true);
    });

    it('keeps only the SHA-256 of the management token in the database', async () => {
      const created = await createPoll(t, { question: 'Q?', options: ['a', 'b'] });
      const row = await t.services.db
        .selectFrom('polls')
        .select('manage_token_hash')
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      const expected = createHash('sha256').update(created.token).digest('hex');
      assert.equal(row.manage_token_hash, expected);
      assert.notEqual(row.manage_token_hash, created.token);
    });

    it('stores a multiple-choice poll with its maximum, closing time and visibility', async () => {
      const closesAt = new Date(Date.now() + HOUR).toISOString();
      const created = await createPoll(t, {
        question: '  Which fruits?  ',
        options: [' Apple ', 'Pear', 'Plum'],
        kind: 'multiple',
        maxChoices: 2,
        resultsVisibility: 'after_close',
        closesAt,
        public: false,
      });
      const poll = (await t.app.inject({ url: `/api/v1/polls/${created.slug}` })).json();
      assert.equal(poll.question, 'Which fruits?');
      assert.deepEqual(
        poll.options.map((o: { label: string }) => o.label),
        ['Apple', 'Pear', 'Plum'],
      );
      assert.equal(poll.kind, 'multiple');
      assert.equal(poll.maxChoices, 2);
      assert.equal(poll.resultsVisibility, 'after_close');
      assert.equal(poll.closesAt, closesAt);
      assert.equal(poll.public, false);
    });

    it('stores emoji and other scripts whole', async () => {
      const question = `${'🗳'.repeat(10)} 投票 голосование`;
      const created = await createPoll(t, { question, options: ['✅ 是', '❌ нет'] });
      const poll = (await t.app.inject({ url: `/api/v1/polls/${created.slug}` })).json();
      assert.equal(poll.question, question);
      assert.equal(poll.options[0].label, '✅ 是');
    });

    const past = new Date(Date.now() - HOUR).toISOString();
    const refusals: Array<[string, unknown, number, string]> = [
      ['no question', { options: ['a', 'b'] }, 400, 'invalid_poll'],
      [
        'a question of spaces',
        { question: '   ', options: ['a', 'b'] },
        400,
        'invalid_poll',
      ],
      [
        'a question too long',
        { question: 'q'.repeat(501), options: ['a', 'b'] },
        400,
        'invalid_poll',
      ],
      ['one option', { question: 'Q', options: ['a'] }, 400, 'invalid_poll'],
      [
        'twenty-one options',
        { question: 'Q', options: Array.from({ length: 21 }, (_, i) => `o${i}`) },
        400,
        'invalid_poll',
      ],
      [
        'an option of spaces',
        { question: 'Q', options: ['a', '  '] },
        400,
        'invalid_poll',
      ],
      [
        'an option too long',
        { question: 'Q', options: ['a', 'b'.repeat(201)] },
        400,
        'invalid_poll',
      ],
      [
        'a duplicate option',
        { question: 'Q', options: ['Yes', 'yes'] },
        400,
        'invalid_poll',
      ],
      [
        'options that are not texts',
        { question: 'Q', options: [{}, []] },
        400,
        'invalid_poll',
      ],
      [
        'a past closing time',
        { question: 'Q', options: ['a', 'b'], closesAt: past },
        400,
        'invalid_poll',
      ],
      [
        'a closing time without a zone',
        { question: 'Q', options: ['a', 'b'], closesAt: '2099-01-01T10:00:00' },
        400,
        'invalid_poll',
      ],
      [
        'an unknown kind',
        { question: 'Q', options: ['a', 'b'], kind: 'ranked' },
        400,
        'invalid_poll',
      ],
      [
        'more choices than options',
        { question: 'Q', options: ['a', 'b'], kind: 'multiple', maxChoices: 5 },
        400,
        'invalid_poll',
      ],
      [
        'an unknown visibility',
        { question: 'Q', options: ['a', 'b'], resultsVisibility: 'never' },
        400,
        'invalid_poll',
      ],
      [
        'an unknown field',
        { question: 'Q', options: ['a', 'b'], admin: true },
        400,
        'invalid_poll',
      ],
    ];
    for (const [name, payload, status, code] of refusals) {
      it(`refuses ${name} with ${status} ${code} and creates nothing`, async () => {
        const before = await pollCount(t);
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/polls',
          payload: payload as object,
        });
        assert.equal(response.statusCode, status);
        assert.equal(response.json().error.code, code);
        assert.ok(response.json().error.message.length > 0);
        assert.equal(await pollCount(t), before);
      });
    }

    const bodies: Array<[string, Record<string, string>, string, number, string]> = [
      [
        'a form post',
        { 'content-type': 'application/x-www-form-urlencoded' },
        'question=Q&options=a',
        415,
        'unsupported_media_type',
      ],
      [
        'plain text',
        { 'content-type': 'text/plain' },
        '{"question":"Q","options":["a","b"]}',
        415,
        'unsupported_media_type',
      ],
      ['broken JSON', json, '{"question":', 400, 'malformed_body'],
      ['a JSON array', json, '[1,2]', 400, 'invalid_poll'],
    ];
    for (const [name, headers, payload, status, code] of bodies) {
      it(`refuses ${name} with ${status} and creates nothing`, async () => {
        const before = await pollCount(t);
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/polls',
          headers,
          payload,
        });
        assert.equal(response.statusCode, status);
        assert.equal(response.json().error.code, code);
        assert.equal(await pollCount(t), before);
      });
    }
  });

  describe('listing polls', () => {
    it('lists public polls newest first with their voter counts, and hides unlisted ones', async () => {
      const older = await createPoll(t, { question: 'Older?', options: ['a', 'b'] });
      const hidden = await createPoll(t, {
        question: 'Hidden?',
        options: ['a', 'b'],
        public: false,
      });
      const newer = await createPoll(t, { question: 'Newer?', options: ['a', 'b'] });
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${newer.slug}/votes`,
        payload: { choices: [1] },
      });

      const response = await t.app.inject({ url: '/api/v1/polls' });
      assert.equal(response.statusCode, 200);
      const slugs = response.json().polls.map((p: { slug: string }) => p.slug);
      assert.ok(slugs.indexOf(newer.slug) < slugs.indexOf(older.slug));
      assert.ok(!slugs.includes(hidden.slug));
      assert.equal(response.json().polls[0].ballots, 1);
      assert.equal(response.json().polls[0].options, undefined);
    });

    it('lists at most `limit` polls', async () => {
      const response = await t.app.inject({ url: '/api/v1/polls?limit=2' });
      assert.equal(response.json().polls.length, 2);
    });

    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'page=2']) {
      it(`refuses ${query} with 400`, async () => {
        const response = await t.app.inject({ url: `/api/v1/polls?${query}` });
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().error.code, 'invalid_request');
      });
    }
  });

  describe('voting', () => {
    it('keeps the original shapes: results of the default poll and 201 for a counted vote', async () => {
      const vote = await t.app.inject({
        method: 'POST',
        url: '/api/v1/polls/default/votes',
        payload: { choices: [2] },
      });
      assert.equal(vote.statusCode, 201);
      assert.deepEqual(vote.json(), { accepted: true, choices: [2] });
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/v1/polls/default/votes',
        headers: { cookie: cookieOf(vote) },
        payload: { choices: [3] },
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'already_voted');

      const results = (
        await t.app.inject({ url: '/api/v1/polls/default/results' })
      ).json();
      assert.equal(results.poll.slug, 'default');
      assert.equal(typeof results.poll.question, 'string');
      assert.deepEqual(Object.keys(results.options[0]).slice(0, 3), [
        'id',
        'label',
        'votes',
      ]);
      assert.equal(
        results.total,
        results.options.reduce((s: number, o: { votes: number }) => s + o.votes, 0),
      );
    });

    it('counts several choices up to the maximum and refuses more, counting nothing', async () => {
      const created = await createPoll(t, {
        question: 'Pick two',
        options: ['a', 'b', 'c'],
        kind: 'multiple',
        maxChoices: 2,
      });
      const url = `/api/v1/polls/${created.slug}/votes`;
      const ok = await t.app.inject({
        method: 'POST',
        url,
        payload: { choices: [1, 3] },
      });
      assert.equal(ok.statusCode, 201);
      const before = await storedCounts(t.services, created.id);
      assert.deepEqual(before.votes, [1, 0, 1]);

      const tooMany = await t.app.inject({
        method: 'POST',
        url,
        payload: { choices: [1, 2, 3] },
      });
      assert.equal(tooMany.statusCode, 400);
      assert.equal(tooMany.json().error.code, 'too_many_choices');
      assert.deepEqual(await storedCounts(t.services, created.id), before);

      const results = (
        await t.app.inject({ url: `/api/v1/polls/${created.slug}/results` })
      ).json();
      assert.equal(results.ballots, 1);
      assert.equal(results.total, 2);
      assert.deepEqual(
        results.options.map((o: { percent: number }) => o.percent),
        [50, 0, 50],
      );
    });

    it('refuses a vote on a poll whose closing time passed, counting nothing', async () => {
      const created = await createPoll(t, {
        question: 'Soon over',
        options: ['a', 'b'],
        closesAt: new Date(Date.now() + HOUR).toISOString(),
      });
      await expirePoll(t, created);

      const poll = (await t.app.inject({ url: `/api/v1/polls/${created.slug}` })).json();
      assert.equal(poll.open, false);
      const vote = await t.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${created.slug}/votes`,
        payload: { choices: [1] },
      });
      assert.equal(vote.statusCode, 409);
      assert.equal(vote.json().error.code, 'poll_closed');
      assert.equal((await storedCounts(t.services, created.id)).ballots, 0);
    });

    it('answers 404 poll_not_found for a poll that does not exist', async () => {
      for (const url of ['/api/v1/polls/nope1234', '/api/v1/polls/nope1234/results']) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 404);
        assert.equal(response.json().error.code, 'poll_not_found');
      }
    });
  });
});
