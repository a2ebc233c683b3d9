import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { cookieOf, storedCounts, type TestApp, testApp } from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

forEachDatabase((target) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(target, { ADMIN_TOKEN });
  });
  after(() => t.close());

  it('serves the original pages, each naming the host that served it', async () => {
    for (const url of ['/', '/index.html', '/vote.html', '/results.html']) {
      const response = await t.app.inject({ url });
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /Served by <span class="served-by">test-host<\/span>/);
      assert.equal(response.headers['x-served-by'], 'test-host');
    }
  });

  it('seeds the default poll from the seed file with option ids 1..N in file order', async () => {
    const response = await t.app.inject({ url: '/api/v1/polls/default/results' });
    const body = response.json();
    assert.equal(body.poll.question, 'Which Linux distribution do you use most?');
    assert.deepEqual(
      body.options.map((o: { id: number }) => o.id),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(body.options[0].label, 'Mint');
    assert.equal(body.options[9].label, 'Other');
  });

  it('renders the vote form with a radio field named vote holding option ids', async () => {
    const response = await t.app.inject({ url: '/vote.html' });
    assert.match(response.body, /<form method="post" action="\/vote.html">/);
    assert.match(response.body, /type="radio" name="vote" value="1"/);
    assert.match(response.body, /type="radio" name="vote" value="10"/);
    assert.match(String(response.headers['set-cookie']), /^voter=.*HttpOnly/);
  });

  it('counts a form vote where the first value wins over the button', async () => {
    const poll = await t.services.polls.bySlug('default');
    const before = await storedCounts(t.services, poll?.id ?? 0);
    const response = await t.app.inject({
      method: 'POST',
      url: '/vote.html',
      headers: form,
      payload: 'vote=4&vote=Vote',
    });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /your vote was counted/);
    const after = await storedCounts(t.services, poll?.id ?? 0);
    assert.equal(after.ballots, before.ballots + 1);
    assert.equal(after.votes[3], (before.votes[3] ?? 0) + 1);
  });

  it('counts a second vote from the same voter cookie once, and says so', async () => {
    const poll = await t.services.polls.bySlug('default');
    const first = await t.app.inject({
      method: 'POST',
      url: '/vote.html',
      headers: form,
      payload: 'vote=2',
    });
    const cookie = cookieOf(first);
    const before = await storedCounts(t.services, poll?.id ?? 0);
    const second = await t.app.inject({
      method: 'POST',
      url: '/vote.html',
      headers: { ...form, cookie },
      payload: 'vote=3',
    });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /already voted/);
    assert.deepEqual(await storedCounts(t.services, poll?.id ?? 0), before);
  });

  it('shows results counted from the database on the results page and in JSON', async () => {
    const json = (await t.app.inject({ url: '/api/v1/polls/default/results' })).json();
    const poll = await t.services.polls.bySlug('default');
    const stored = await storedCounts(t.services, poll?.id ?? 0);
    assert.deepEqual(
      json.options.map((o: { votes: number }) => o.votes),
      stored.votes,
    );
    assert.equal(json.ballots, stored.ballots);
    const page = await t.app.inject({ url: '/results.html' });
    assert.match(page.body, new RegExp(`${stored.ballots} voters in all`));
  });

  it('answers liveness with ok and readiness after checking the database', async () => {
    const health = await t.app.inject({ url: '/health' });
    assert.equal(health.statusCode, 200);
    assert.equal(health.body, 'ok');
    const ready = await t.app.inject({ url: '/ready' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
  });

  it('fails the health check only for an admin, and can undo it', async () => {
    assert.equal((await t.app.inject({ url: '/fail' })).statusCode, 401);
    const wrong = { authorization: 'Bearer not-the-token-not-the-token!!' };
    assert.equal((await t.app.inject({ url: '/fail', headers: wrong })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/health' })).statusCode, 200);

    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/fail', headers: admin })).statusCode,
      200,
    );
    assert.equal((await t.app.inject({ url: '/health' })).statusCode, 503);
    assert.equal((await t.app.inject({ url: '/ready' })).statusCode, 503);

    const undo = await t.app.inject({ method: 'DELETE', url: '/fail', headers: admin });
    assert.equal(undo.statusCode, 200);
    assert.equal((await t.app.inject({ url: '/health' })).statusCode, 200);
  });
});

forEachDatabase((target) => {
  it('refuses /fail to everyone when no admin token is configured', async () => {
    const t = await testApp(target);
    try {
      const response = await t.app.inject({
        url: '/fail',
        headers: { authorization: 'Bearer x' },
      });
      assert.equal(response.statusCode, 403);
      assert.equal((await t.app.inject({ url: '/health' })).statusCode, 200);
    } finally {
      await t.close();
    }
  });

  it('seeds from SEED_FILE when it points elsewhere', async () => {
    const file = join(tmpdir(), `seed-${process.pid}-${target.name}.json`);
    await writeFile(
      file,
      JSON.stringify({
        poll: 'p',
        question: 'Tabs or spaces?',
        options: ['Tabs', 'Spaces'],
      }),
    );
    const t = await testApp(target, { SEED_FILE: file });
    try {
      const body = (await t.app.inject({ url: '/api/v1/polls/default' })).json();
      assert.equal(body.question, 'Tabs or spaces?');
      assert.deepEqual(body.options, [
        { id: 1, label: 'Tabs' },
        { id: 2, label: 'Spaces' },
      ]);
    } finally {
      await t.close();
    }
  });
});
