import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storedCounts, type TestApp, testApp } from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

forEachDatabase((target) => {
  describe('with limits of 3 votes a minute and 2 polls an hour', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(target, {
        RATE_LIMIT_VOTES_PER_MINUTE: '3',
        RATE_LIMIT_POLLS_PER_HOUR: '2',
      });
    });
    after(() => t.close());

    it('counts form and API votes from one address together and refuses the 4th with 429', async () => {
      const poll = await t.services.polls.bySlug('default');
      assert.ok(poll);
      const api = (ip: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/polls/default/votes',
          remoteAddress: ip,
          payload: { choices: [1] },
        });
      const page = (ip: string) =>
        t.app.inject({
          method: 'POST',
          url: '/vote.html',
          remoteAddress: ip,
          headers: form,
          payload: 'vote=1',
        });

      assert.equal((await api('10.0.0.1')).statusCode, 201);
      assert.equal((await page('10.0.0.1')).statusCode, 200);
      assert.equal((await api('10.0.0.1')).statusCode, 201);
      const before = await storedCounts(t.services, poll.id);

      const refused = await page('10.0.0.1');
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.match(refused.body, /Too many requests from your address/);
      const refusedApi = await api('10.0.0.1');
      assert.equal(refusedApi.statusCode, 429);
      assert.equal(refusedApi.json().error.code, 'rate_limited');
      assert.deepEqual(await storedCounts(t.services, poll.id), before);

      assert.equal(
        (await api('10.0.0.2')).statusCode,
        201,
        'another address has its own budget',
      );
    });

    it('refuses a third poll from one address within the hour', async () => {
      const create = () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/polls',
          remoteAddress: '10.0.1.1',
          payload: { question: 'Q?', options: ['a', 'b'] },
        });
      assert.equal((await create()).statusCode, 201);
      const page = await t.app.inject({
        method: 'POST',
        url: '/new',
        remoteAddress: '10.0.1.1',
        headers: form,
        payload: 'question=Q&option=a&option=b',
      });
      assert.equal(page.statusCode, 303);
      const third = await create();
      assert.equal(third.statusCode, 429);
      assert.equal(third.json().error.code, 'rate_limited');
      assert.ok(Number(third.headers['retry-after']) > 60);
    });

    it('never limits reads', async () => {
      for (let i = 0; i < 10; i++) {
        const response = await t.app.inject({
          url: '/api/v1/polls/default/results',
          remoteAddress: '10.0.0.1',
        });
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['x-ratelimit-limit'], undefined);
      }
    });
  });

  describe('with the vote limit set to 0', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(target, { RATE_LIMIT_VOTES_PER_MINUTE: '0' });
    });
    after(() => t.close());

    it('takes any number of votes from one address, adding no rate-limit header', async () => {
      for (let i = 0; i < 25; i++) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/polls/default/votes',
          payload: { choices: [1] },
        });
        assert.equal(response.statusCode, 201);
        assert.equal(response.headers['x-ratelimit-limit'], undefined);
      }
    });
  });
});
