import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cookieOf,
  pollCount,
  storedCounts,
  type TestApp,
  testApp,
} from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

function encode(fields: Array<[string, string]>): string {
  return new URLSearchParams(fields).toString();
}

/** Posts the create form as a browser would, and follows nothing. */
async function createViaForm(t: TestApp, fields: Array<[string, string]>) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/new',
    headers: form,
    payload: encode(fields),
  });
  assert.equal(response.statusCode, 303, response.body.slice(0, 2000));
  const location = String(response.headers.location);
  const match = /^\/m\/([A-Za-z0-9]{8})\/([\w-]{22})\?created=1$/.exec(location);
  assert.ok(match, location);
  const slug = match[1] as string;
  const poll = await t.services.polls.bySlug(slug);
  assert.ok(poll);
  return { location, slug, token: match[2] as string, poll };
}

const basic: Array<[string, string]> = [
  ['question', 'Lunch?'],
  ['option', 'Pizza'],
  ['option', 'Salad'],
  ['option', ''],
  ['option', ''],
  ['option', ''],
  ['moreOptions', ''],
  ['kind', 'single'],
  ['maxChoices', ''],
  ['resultsVisibility', 'always'],
  ['closesAt', ''],
  ['tzOffset', '0'],
  ['listed', 'yes'],
];

function withFields(changes: Record<string, string | string[]>): Array<[string, string]> {
  const kept = basic.filter(([name]) => !(name in changes));
  const added = Object.entries(changes).flatMap(([name, value]) =>
    ([] as string[]).concat(value).map((v): [string, string] => [name, v]),
  );
  return [...kept, ...added];
}

forEachDatabase((target) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(target);
  });
  after(() => t.close());

  describe('the home page', () => {
    it("shows the default poll's question with Vote and See results, then Create a poll", async () => {
      const page = (await t.app.inject({ url: '/' })).body;
      assert.match(page, /<h1>Which Linux distribution do you use most\?<\/h1>/);
      assert.match(page, /href="\/vote.html">Vote<\/a>/);
      assert.match(page, /href="\/results.html">See results<\/a>/);
      assert.match(page, /<a class="button primary" href="\/new">Create a poll<\/a>/);
      assert.ok(page.indexOf('/vote.html') < page.indexOf('Recent polls'));
    });

    it('lists recent public polls and leaves out unlisted ones', async () => {
      await createViaForm(t, withFields({ question: 'Listed one?' }));
      await createViaForm(t, withFields({ question: 'Unlisted one?', listed: [] }));
      const page = (await t.app.inject({ url: '/' })).body;
      assert.match(page, /<a href="\/p\/[A-Za-z0-9]{8}">Listed one\?<\/a>/);
      assert.doesNotMatch(page, /Unlisted one/);
    });
  });

  describe('creating a poll from the form', () => {
    it('serves a form with a label for every field', async () => {
      const page = (await t.app.inject({ url: '/new' })).body;
      assert.match(page, /<form class="create-form" method="post" action="\/new">/);
      const ids = [...page.matchAll(/<(?:input|textarea)[^>]* id="([^"]+)"/g)].map(
        (m) => m[1],
      );
      assert.ok(ids.length >= 12, ids.join(','));
      for (const id of ids)
        assert.match(page, new RegExp(`for="${id}"`), `no label for ${id}`);
    });

    it('creates the poll and sends its creator to the management page', async () => {
      const before = await pollCount(t);
      const created = await createViaForm(
        t,
        withFields({
          question: 'Best editor?',
          moreOptions: 'Emacs\r\n\r\n  Vim  \nNano',
        }),
      );
      assert.equal(await pollCount(t), before + 1);
      assert.deepEqual(
        created.poll.options.map((o) => o.label),
        ['Pizza', 'Salad', 'Emacs', 'Vim', 'Nano'],
      );

      const manage = await t.app.inject({ url: created.location });
      assert.equal(manage.statusCode, 200);
      assert.equal(manage.headers['cache-control'], 'no-store');
      assert.match(manage.body, /Your poll is ready/);
      assert.match(
        manage.body,
        new RegExp(`value="http://localhost:80/p/${created.slug}"`),
      );
      assert.match(
        manage.body,
        new RegExp(`value="http://localhost:80/m/${created.slug}/${created.token}"`),
      );
    });

    it('makes a multiple-choice poll with its maximum and visibility', async () => {
      const created = await createViaForm(
        t,
        withFields({
          kind: 'multiple',
          maxChoices: '2',
          moreOptions: 'Soup',
          resultsVisibility: 'after_close',
        }),
      );
      assert.equal(created.poll.kind, 'multiple');
      assert.equal(created.poll.maxChoices, 2);
      assert.equal(created.poll.resultsVisibility, 'after_close');
    });

    it("reads the closing time in the browser's zone that app.js sends", async () => {
      const year = new Date().getUTCFullYear() + 1;
      const created = await createViaForm(
        t,
        withFields({ closesAt: `${year}-01-01T09:00`, tzOffset: '-825' }),
      );
      assert.equal(created.poll.closesAt, Date.UTC(year - 1, 11, 31, 19, 15));
      const intro = (await t.app.inject({ url: `/p/${created.slug}` })).body;
      assert.match(
        intro,
        new RegExp(`<time datetime="${year - 1}-12-31T19:15:00.000Z">`),
      );
      assert.match(intro, /31 Dec \d{4}, 19:15 UTC/);
    });

    const refusals: Array<[string, Record<string, string | string[]>, RegExp]> = [
      ['no question', { question: '   ' }, /The question is empty/],
      ['one option', { option: ['Only', '', '', '', ''] }, /Give at least 2 options/],
      [
        'a duplicate option',
        { moreOptions: 'pizza' },
        /&quot;pizza&quot; is given twice/,
      ],
      ['a past closing time', { closesAt: '2001-01-01T10:00' }, /already past/],
      [
        'a maximum that is no number',
        { kind: 'multiple', maxChoices: 'lots' },
        /Allow from 2/,
      ],
      [
        'too many options',
        { moreOptions: Array.from({ length: 20 }, (_, i) => `x${i}`).join('\n') },
        /at most 20 options, not 22/,
      ],
    ];
    for (const [name, changes, message] of refusals) {
      it(`refuses ${name} with 400, keeps what was typed, and creates nothing`, async () => {
        const before = await pollCount(t);
        const response = await t.app.inject({
          method: 'POST',
          url: '/new',
          headers: form,
          payload: encode(withFields({ question: 'Kept question?', ...changes })),
        });
        assert.equal(response.statusCode, 400);
        assert.match(response.body, /<div class="error-summary" role="alert"/);
        assert.match(response.body, message);
        assert.match(response.body, /aria-invalid="true"/);
        if (!('question' in changes))
          assert.match(response.body, />Kept question\?<\/textarea>/);
        assert.equal(await pollCount(t), before);
      });
    }

    it('refuses a create post that is not a form with 415', async () => {
      const before = await pollCount(t);
      const response = await t.app.inject({
        method: 'POST',
        url: '/new',
        headers: { 'content-type': 'application/json' },
        payload: '{"question":"Q","option":["a","b"]}',
      });
      assert.equal(response.statusCode, 415);
      assert.equal(await pollCount(t), before);
    });
  });

  describe("a poll's own pages", () => {
    it('votes and shows the results with a chart, a list, and downloads', async () => {
      const { slug, poll } = await createViaForm(t, withFields({ moreOptions: 'Soup' }));
      const intro = await t.app.inject({ url: `/p/${slug}` });
      assert.match(intro.body, new RegExp(`href="/p/${slug}/vote">Vote</a>`));
      assert.match(intro.body, new RegExp(`value="http://localhost:80/p/${slug}"`));

      const votePage = await t.app.inject({ url: `/p/${slug}/vote` });
      assert.match(
        votePage.body,
        new RegExp(`<form method="post" action="/p/${slug}/vote">`),
      );
      assert.match(votePage.body, /type="radio" name="vote" value="3"/);

      const voted = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=2&vote=Vote',
      });
      assert.equal(voted.statusCode, 200);
      assert.match(voted.body, /Thank you, your vote was counted/);
      assert.match(voted.body, /<svg class="donut"[^>]*aria-hidden="true"/);
      assert.match(voted.body, /<circle class="slice c2"/);
      assert.match(
        voted.body,
        /Salad<\/span>\s*<span class="figures">1 vote, 100%<\/span>/,
      );
      assert.match(voted.body, /1 voter in all/);
      assert.match(voted.body, new RegExp(`href="/p/${slug}/results.csv"`));
      assert.deepEqual((await storedCounts(t.services, poll.id)).votes, [0, 1, 0]);

      const csv = await t.app.inject({ url: `/p/${slug}/results.csv` });
      assert.match(String(csv.headers['content-disposition']), /poll-.*-results\.csv/);
      assert.match(csv.body, /\r\n2,"Salad",1,100\.0\r\n/);
      const json = await t.app.inject({ url: `/p/${slug}/results.json` });
      assert.match(String(json.headers['content-disposition']), /results\.json/);
      assert.equal(json.json().options[1].votes, 1);
    });

    it('shows the voting form again with a message when no option was chosen', async () => {
      const { slug, poll } = await createViaForm(t, withFields({}));
      const response = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=Vote',
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /role="alert">Choose one of the poll options\./);
      assert.match(response.body, /<form method="post"/);
      assert.equal((await storedCounts(t.services, poll.id)).ballots, 0);
    });

    it('answers a second vote from the same voter with 409 and the results', async () => {
      const { slug, poll } = await createViaForm(t, withFields({}));
      const first = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=1',
      });
      const second = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: { ...form, cookie: cookieOf(first) },
        payload: 'vote=2',
      });
      assert.equal(second.statusCode, 409);
      assert.match(second.body, /You have already voted/);
      assert.match(second.body, /1 voter in all/);
      assert.deepEqual((await storedCounts(t.services, poll.id)).votes, [1, 0]);
    });

    it('hides after_vote results until this browser voted', async () => {
      const { slug } = await createViaForm(
        t,
        withFields({ resultsVisibility: 'after_vote' }),
      );
      const hidden = await t.app.inject({ url: `/p/${slug}/results` });
      assert.equal(hidden.statusCode, 403);
      assert.match(hidden.body, /shown to those who have voted/);
      assert.doesNotMatch(hidden.body, /class="results"/);
      assert.equal(
        (await t.app.inject({ url: `/p/${slug}/results.csv` })).statusCode,
        403,
      );

      const voted = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=1',
      });
      assert.match(voted.body, /class="results"/);
      const later = await t.app.inject({
        url: `/p/${slug}/results`,
        headers: { cookie: cookieOf(voted) },
      });
      assert.equal(later.statusCode, 200);
      assert.match(later.body, /1 voter in all/);
    });

    it('thanks an after_close voter without showing the results yet', async () => {
      const { slug } = await createViaForm(
        t,
        withFields({ resultsVisibility: 'after_close' }),
      );
      const voted = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=1',
      });
      assert.equal(voted.statusCode, 200);
      assert.match(voted.body, /your vote was counted/);
      assert.match(voted.body, /shown once the poll closes/);
      assert.doesNotMatch(voted.body, /class="results"/);
    });

    it('answers 404 for a poll that does not exist', async () => {
      for (const url of ['/p/nope1234', '/p/nope1234/vote', '/p/nope1234/results']) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 404);
        assert.match(response.body, /no poll/);
      }
    });
  });

  describe('the management page', () => {
    it('closes voting, which the poll pages then show, and reopens it', async () => {
      const { slug, token, poll } = await createViaForm(t, withFields({}));
      const base = `/m/${slug}/${token}`;
      const close = await t.app.inject({
        method: 'POST',
        url: `${base}/close`,
        headers: form,
      });
      assert.equal(close.statusCode, 303);
      assert.equal(close.headers.location, `${base}?done=closed`);
      const closed = await t.app.inject({ url: String(close.headers.location) });
      assert.match(closed.body, /Voting is closed\./);
      assert.match(closed.body, /Reopen voting/);

      const votePage = await t.app.inject({ url: `/p/${slug}/vote` });
      assert.match(votePage.body, /This poll is closed/);
      assert.doesNotMatch(votePage.body, /<form method="post"/);
      const refused = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=1',
      });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /This poll is closed/);
      assert.equal((await storedCounts(t.services, poll.id)).ballots, 0);

      const reopen = await t.app.inject({
        method: 'POST',
        url: `${base}/reopen`,
        headers: form,
      });
      assert.equal(reopen.statusCode, 303);
      const voted = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=1',
      });
      assert.equal(voted.statusCode, 200);
    });

    it('always shows its creator the results, whatever the visibility', async () => {
      const created = await createViaForm(
        t,
        withFields({ resultsVisibility: 'after_close' }),
      );
      await t.app.inject({
        method: 'POST',
        url: `/p/${created.slug}/vote`,
        headers: form,
        payload: 'vote=2',
      });
      const manage = await t.app.inject({ url: `/m/${created.slug}/${created.token}` });
      assert.match(manage.body, /Salad<\/span>\s*<span class="figures">1 vote, 100%/);
      const csv = await t.app.inject({
        url: `/m/${created.slug}/${created.token}/results.csv`,
      });
      assert.equal(csv.statusCode, 200);
      assert.match(csv.body, /2,"Salad",1,100\.0/);
    });

    it('deletes the poll only once the box is ticked', async () => {
      const { slug, token, poll } = await createViaForm(t, withFields({}));
      const url = `/m/${slug}/${token}/delete`;
      const unticked = await t.app.inject({
        method: 'POST',
        url,
        headers: form,
        payload: '',
      });
      assert.equal(unticked.statusCode, 400);
      assert.match(unticked.body, /Tick the box/);
      assert.ok(await t.services.polls.bySlug(slug));

      const deleted = await t.app.inject({
        method: 'POST',
        url,
        headers: form,
        payload: 'confirm=yes',
      });
      assert.equal(deleted.statusCode, 200);
      assert.match(deleted.body, /Poll deleted/);
      assert.equal((await t.app.inject({ url: `/p/${slug}` })).statusCode, 404);
      assert.deepEqual(await storedCounts(t.services, poll.id), {
        ballots: 0,
        votes: [],
        total: 0,
      });
    });

    it('refuses a wrong or foreign token with 401 and changes nothing', async () => {
      const mine = await createViaForm(t, withFields({}));
      const theirs = await createViaForm(t, withFields({}));
      for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', theirs.token]) {
        const page = await t.app.inject({ url: `/m/${mine.slug}/${token}` });
        assert.equal(page.statusCode, 401);
        assert.match(page.body, /management link is not valid/);
        const close = await t.app.inject({
          method: 'POST',
          url: `/m/${mine.slug}/${token}/close`,
          headers: form,
        });
        assert.equal(close.statusCode, 401);
      }
      const poll = (await t.app.inject({ url: `/api/v1/polls/${mine.slug}` })).json();
      assert.equal(poll.open, true);
    });
  });
});
