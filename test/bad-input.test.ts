import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { storedCounts, type TestApp, testApp } from './helpers/app.js';
import { forEachDatabase } from './helpers/databases.js';

interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  status: number;
  code?: string;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const json = { 'content-type': 'application/json' };
const markup = '<script>alert(1)</script><b>bold</b>';

const cases: Case[] = [
  { name: 'an unknown option', url: '/vote.html', payload: 'vote=11', status: 400 },
  { name: 'option zero', url: '/vote.html', payload: 'vote=0', status: 400 },
  { name: 'a negative option', url: '/vote.html', payload: 'vote=-1', status: 400 },
  { name: 'a non-numeric vote', url: '/vote.html', payload: 'vote=Mint', status: 400 },
  { name: 'a fractional vote', url: '/vote.html', payload: 'vote=1.5', status: 400 },
  {
    name: 'a huge number',
    url: '/vote.html',
    payload: `vote=${'9'.repeat(400)}`,
    status: 400,
  },
  { name: 'a missing vote field', url: '/vote.html', payload: 'choice=1', status: 400 },
  { name: 'an empty body', url: '/vote.html', payload: '', status: 400 },
  { name: 'only the button', url: '/vote.html', payload: 'vote=Vote', status: 400 },
  {
    name: 'markup as the vote',
    url: '/vote.html',
    payload: `vote=${encodeURIComponent(markup)}`,
    status: 400,
  },
  {
    name: 'invalid UTF-8',
    url: '/vote.html',
    payload: Buffer.from([0x76, 0x6f, 0x74, 0x65, 0x3d, 0xff, 0xfe]),
    status: 400,
  },
  {
    name: 'a percent-escaped invalid UTF-8',
    url: '/vote.html',
    payload: 'vote=%ff%fe',
    status: 400,
  },
  {
    name: 'a body over the limit',
    url: '/vote.html',
    payload: `vote=1&pad=${'x'.repeat(40_000)}`,
    status: 413,
    code: 'body_too_large',
  },
  {
    name: 'a JSON body on the form route',
    url: '/vote.html',
    headers: json,
    payload: '{"vote":1}',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a text body on the form route',
    url: '/vote.html',
    headers: { 'content-type': 'text/plain' },
    payload: 'vote=1',
    status: 415,
  },
  {
    name: 'a multipart body',
    url: '/vote.html',
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    payload: '--x--',
    status: 415,
  },
  {
    name: 'a vote for a poll that does not exist',
    url: '/p/nope/vote',
    payload: 'vote=1',
    status: 404,
    code: 'poll_not_found',
  },
  {
    name: 'malformed JSON to the API',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: '{"choices": [1',
    status: 400,
    code: 'malformed_body',
  },
  {
    name: 'a form body to the API',
    url: '/api/v1/polls/default/votes',
    headers: form,
    payload: 'choices=1',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'text to the API',
    url: '/api/v1/polls/default/votes',
    headers: { 'content-type': 'text/plain' },
    payload: '{"choices":[1]}',
    status: 415,
  },
  {
    name: 'an empty choice list',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: '{"choices": []}',
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a string choice',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: '{"choices": ["1; drop table ballots"]}',
    status: 400,
  },
  {
    name: 'an unknown option through the API',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: '{"choices": [42]}',
    status: 400,
    code: 'invalid_choice',
  },
  {
    name: 'two choices on a single-choice poll',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: '{"choices": [1, 2]}',
    status: 400,
    code: 'too_many_choices',
  },
  {
    name: 'extra fields',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: '{"choices": [1], "votes": 1000}',
    status: 400,
  },
  {
    name: 'a JSON array body',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: '[1]',
    status: 400,
  },
  {
    name: 'a JSON null body',
    url: '/api/v1/polls/default/votes',
    headers: json,
    payload: 'null',
    status: 400,
  },
  {
    name: 'a slug with markup',
    method: 'GET',
    url: `/api/v1/polls/${encodeURIComponent(markup)}/results`,
    status: 400,
  },
  {
    name: 'a path with invalid escapes',
    method: 'GET',
    url: '/p/%E0%A4%A/vote',
    status: 400,
  },
  {
    name: 'an unknown route',
    method: 'GET',
    url: '/admin.php',
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a wrong method',
    method: 'PUT',
    url: '/vote.html',
    payload: 'vote=1',
    status: 404,
  },
];

forEachDatabase((target) => {
  let t: TestApp;
  let pollId: number;
  before(async () => {
    t = await testApp(target);
    pollId = (await t.services.polls.bySlug('default'))?.id ?? 0;
  });
  after(() => t.close());

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.status} and changes no count`, async () => {
      const before = await storedCounts(t.services, pollId);
      const response = await t.app.inject({
        method: c.method ?? 'POST',
        url: c.url,
        headers: c.headers ?? (c.method === 'GET' ? {} : form),
        payload: c.payload,
      });
      assert.equal(response.statusCode, c.status, response.body.slice(0, 300));
      if (c.url.startsWith('/api/')) {
        const body = response.json();
        assert.equal(typeof body.error.message, 'string');
        if (c.code) assert.equal(body.error.code, c.code);
      } else {
        assert.match(String(response.headers['content-type']), /^text\/html/);
      }
      assert.doesNotMatch(response.body, /<script>alert/);
      assert.deepEqual(await storedCounts(t.services, pollId), before);
    });
  }

  it('answers JSON errors to clients that ask for JSON on page routes', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/vote.html',
      headers: { ...form, accept: 'application/json' },
      payload: 'vote=99',
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), {
      error: { code: 'invalid_choice', message: 'choose one of the poll options' },
    });
  });
});
