import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storedCounts, type TestApp, testApp } from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const QUESTION = '<script>alert(1)</script><img src=x onerror=alert(2)>?';
const OPTIONS = ['<script>alert(1)</script>', '<b>bold</b>', `"quoted" & 'apos'`];
const RAW_MARKUP = /<script>alert|<b>bold|<img src=x/;

/** Every input a person fills in is named by a label: by `for`, or by wrapping it. */
function unlabelledInputs(page: string): string[] {
  const missing: string[] = [];
  for (const match of page.matchAll(/<(input|textarea)\b[^>]*>/g)) {
    const tag = match[0];
    if (/type="hidden"/.test(tag)) continue;
    const id = /\bid="([^"]+)"/.exec(tag)?.[1];
    const at = match.index ?? 0;
    const wrapped = page.lastIndexOf('<label', at) > page.lastIndexOf('</label>', at);
    if (!wrapped && !(id && page.includes(`for="${id}"`))) missing.push(tag);
  }
  return missing;
}

function headingLevels(page: string): number[] {
  return [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
}

forEachDatabase((target) => {
  let t: TestApp;
  let slug: string;
  let token: string;
  before(async () => {
    t = await testApp(target);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/polls',
      payload: { question: QUESTION, options: OPTIONS, kind: 'multiple' },
    });
    slug = response.json().poll.slug;
    token = response.json().manageToken;
  });
  after(() => t.close());

  const pages = () => [
    '/',
    '/index.html',
    '/vote.html',
    '/results.html',
    '/new',
    `/p/${slug}`,
    `/p/${slug}/vote`,
    `/p/${slug}/results`,
    `/m/${slug}/${token}`,
  ];

  describe('text a user typed', () => {
    it('shows as text on every page, never as markup', async () => {
      for (const url of pages()) {
        const page = (await t.app.inject({ url })).body;
        assert.doesNotMatch(page, RAW_MARKUP, url);
        if (url === '/new' || url.endsWith('.html')) continue;
        assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x/, url);
        // The home page and the share page show the question, not the options.
        if (url === '/' || url === `/p/${slug}`) continue;
        assert.match(page, /&lt;b&gt;bold&lt;\/b&gt;/, url);
        assert.match(page, /&quot;quoted&quot; &amp; &#39;apos&#39;/, url);
      }
    });

    it('shows as text on the pages that answer a vote and a refused form', async () => {
      const voted = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=1&vote=2',
      });
      const refused = await t.app.inject({
        method: 'POST',
        url: `/p/${slug}/vote`,
        headers: form,
        payload: 'vote=9',
      });
      const badForm = await t.app.inject({
        method: 'POST',
        url: '/new',
        headers: form,
        payload: new URLSearchParams({
          question: QUESTION,
          option: OPTIONS[0] as string,
        }).toString(),
      });
      for (const response of [voted, refused, badForm]) {
        assert.doesNotMatch(response.body, RAW_MARKUP);
        assert.match(response.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      }
    });

    it('comes back unchanged in the JSON API and the JSON download', async () => {
      for (const url of [`/api/v1/polls/${slug}/results`, `/p/${slug}/results.json`]) {
        const response = await t.app.inject({ url });
        assert.match(String(response.headers['content-type']), /^application\/json/);
        const body = response.json();
        assert.equal(body.poll.question, QUESTION);
        assert.deepEqual(
          body.options.map((o: { label: string }) => o.label),
          OPTIONS,
        );
      }
      const listed = (await t.app.inject({ url: '/api/v1/polls' })).json();
      assert.ok(listed.polls.some((p: { question: string }) => p.question === QUESTION));
    });

    it('is quoted in the CSV, which is served as a download', async () => {
      const response = await t.app.inject({ url: `/p/${slug}/results.csv` });
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(String(response.headers['content-disposition']), /^attachment/);
      assert.match(response.body, /\r\n1,"<script>alert\(1\)<\/script>",/);
      assert.match(response.body, /\r\n3,"""quoted"" & 'apos'",/);
    });
  });

  describe('pages under the content security policy', () => {
    it('carry no inline script, style attribute or event handler', async () => {
      for (const url of pages()) {
        const page = (await t.app.inject({ url })).body;
        for (const tag of page.match(/<script\b[^>]*>/g) ?? []) {
          assert.match(tag, /src="\/static\/[\w.-]+\.js"/, `${url}: ${tag}`);
        }
        for (const tag of page.match(/<[a-z][^>]*>/g) ?? []) {
          assert.doesNotMatch(tag, /\s(style|on[a-z]+)=/, `${url}: ${tag}`);
        }
        assert.doesNotMatch(
          page,
          /https?:\/\/(?!localhost)/,
          `${url} loads from elsewhere`,
        );
      }
    });

    it('serves its own script and styles', async () => {
      for (const file of ['app.js', 'app.css', 'live.js']) {
        const response = await t.app.inject({ url: `/static/${file}` });
        assert.equal(response.statusCode, 200, file);
      }
    });
  });

  describe('pages for every reader', () => {
    it('have a language, a skip link to the main content, and one h1 before any h2', async () => {
      for (const url of pages()) {
        const page = (await t.app.inject({ url })).body;
        assert.match(page, /<html lang="en">/, url);
        assert.match(page, /<a class="skip-link" href="#main">/, url);
        assert.match(page, /<main id="main"/, url);
        const levels = headingLevels(page);
        assert.equal(levels.filter((l) => l === 1).length, 1, `${url}: ${levels}`);
        assert.equal(levels[0], 1, `${url}: ${levels}`);
        levels.forEach((level, i) => {
          if (i > 0)
            assert.ok(level <= (levels[i - 1] as number) + 1, `${url}: ${levels}`);
        });
      }
    });

    it('label every field', async () => {
      for (const url of pages()) {
        const page = (await t.app.inject({ url })).body;
        assert.deepEqual(unlabelledInputs(page), [], url);
      }
    });

    it('fit a phone: a viewport tag on every page', async () => {
      for (const url of pages()) {
        const page = (await t.app.inject({ url })).body;
        assert.match(page, /<meta name="viewport" content="width=device-width/, url);
      }
    });
  });

  describe('cross-site form posts', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['an Origin of another host', { origin: 'https://evil.example' }],
      ['an Origin of another port', { origin: 'http://localhost:8081' }],
      ['an opaque Origin', { origin: 'null' }],
      [
        'a same-site subdomain',
        { 'sec-fetch-site': 'same-site', origin: 'https://sub.localhost' },
      ],
    ];
    for (const [name, headers] of cases) {
      it(`refuses a vote sent with ${name}: 403, nothing counted`, async () => {
        const poll = await t.services.polls.bySlug('default');
        assert.ok(poll);
        const before = await storedCounts(t.services, poll.id);
        const response = await t.app.inject({
          method: 'POST',
          url: '/vote.html',
          headers: { ...form, ...headers },
          payload: 'vote=1',
        });
        assert.equal(response.statusCode, 403);
        assert.match(response.body, /cross-site|are refused/);
        assert.deepEqual(await storedCounts(t.services, poll.id), before);
      });
    }

    it('refuses cross-site poll creation and management', async () => {
      const evil = { ...form, 'sec-fetch-site': 'cross-site' };
      const created = await t.app.inject({
        method: 'POST',
        url: '/new',
        headers: evil,
        payload: 'question=Q&option=a&option=b',
      });
      assert.equal(created.statusCode, 403);
      const closed = await t.app.inject({
        method: 'POST',
        url: `/m/${slug}/${token}/close`,
        headers: evil,
      });
      assert.equal(closed.statusCode, 403);
      const poll = (await t.app.inject({ url: `/api/v1/polls/${slug}` })).json();
      assert.equal(poll.open, true);
    });

    it('takes a same-origin post from a browser, and a script that sends neither header', async () => {
      const browser = await t.app.inject({
        method: 'POST',
        url: '/vote.html',
        headers: {
          ...form,
          host: 'polls.example',
          origin: 'https://polls.example',
          'sec-fetch-site': 'same-origin',
        },
        payload: 'vote=3',
      });
      assert.equal(browser.statusCode, 200);
      const script = await t.app.inject({
        method: 'POST',
        url: '/vote.html',
        headers: form,
        payload: 'vote=3',
      });
      assert.equal(script.statusCode, 200);
    });

    it('lets a browser read pages whatever site linked to them', async () => {
      const response = await t.app.inject({
        url: `/p/${slug}`,
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      assert.equal(response.statusCode, 200);
    });
  });
});
