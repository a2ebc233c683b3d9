import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { serialize } from 'cookie';
import { sign } from 'cookie-signature';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VoterCookie } from '../src/web/voter.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

function request(protocol: 'http' | 'https', cookie?: string): FastifyRequest {
  return { protocol, headers: cookie ? { cookie } : {} } as unknown as FastifyRequest;
}

/** A reply that keeps the Set-Cookie header it is given. */
function recordingReply() {
  const set: string[] = [];
  const reply = {
    header(name: string, value: string) {
      assert.equal(name, 'set-cookie');
      set.push(value);
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, set };
}

describe('the voter cookie', () => {
  for (const protocol of ['http', 'https'] as const) {
    it(`is written over ${protocol} exactly as the cookie library serialises it`, () => {
      const cookies = new VoterCookie(SECRET);
      const { reply, set } = recordingReply();
      const id = cookies.id(request(protocol), reply);

      assert.match(id, /^[0-9a-f]{32}$/);
      const expected = serialize('voter', sign(id, SECRET), {
        httpOnly: true,
        sameSite: 'lax',
        secure: protocol === 'https',
        path: '/',
        maxAge: 365 * 24 * 3600,
      });
      assert.deepEqual(set, [expected]);
    });
  }

  it('issues ids that sort in the order they were issued, and never twice', async () => {
    const cookies = new VoterCookie(SECRET);
    const issue = () => cookies.id(request('http'), recordingReply().reply);
    const before = Array.from({ length: 1000 }, issue);
    await sleep(5);
    const after = issue();

    assert.equal(new Set(before).size, before.length);
    for (const id of before) assert.ok(id < after, `${id} sorts before ${after}`);
    // The time comes first; the rest is random, not the same for every id.
    const prefix = Date.now().toString(16).padStart(12, '0').slice(0, 8);
    assert.ok(after.startsWith(prefix), `${after} starts with the time`);
    assert.equal(new Set(before.map((id) => id.slice(12))).size, before.length);
  });

  it('reads back the id it issued, and sets nothing when the request has one', () => {
    const cookies = new VoterCookie(SECRET);
    const first = recordingReply();
    const id = cookies.id(request('http'), first.reply);
    // What the browser sends back is the name=value pair, still URL-encoded.
    const back = (first.set[0] ?? '').split(';')[0] ?? '';

    const again = recordingReply();
    assert.equal(cookies.id(request('http', back), again.reply), id);
    assert.deepEqual(again.set, []);
    assert.equal(cookies.known(request('http', `other=1; ${back}`)), id);
  });

  it('ignores a cookie signed with another secret, or altered, or unsigned', () => {
    const cookies = new VoterCookie(SECRET);
    const id = '0123456789abcdef0123456789abcdef';
    const forged = `voter=${encodeURIComponent(sign(id, 'some-other-secret'))}`;
    const altered = `voter=${encodeURIComponent(sign(id, SECRET)).replace('0123', '9123')}`;
    for (const header of [forged, altered, `voter=${id}`, 'voter=', 'voter=%E0%A4%A']) {
      assert.equal(cookies.known(request('http', header)), undefined, header);
      const { reply, set } = recordingReply();
      assert.notEqual(cookies.id(request('http', header), reply), id);
      assert.equal(set.length, 1, 'a new id is issued instead');
    }
  });

  it('sees who asks only when visibility reads the id', () => {
    const cookies = new VoterCookie(SECRET);
    const { reply, set } = recordingReply();
    const id = cookies.id(request('http'), reply);
    const back = (set[0] ?? '').split(';')[0] ?? '';
    const viewer = cookies.viewer(request('http', back), { voted: true });
    assert.equal(viewer.voted, true);
    assert.equal(viewer.voterId, id);
  });
});
