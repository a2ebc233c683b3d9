import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Balancer } from '../../scripts/cluster/balancer.js';
import { freePort } from '../../scripts/cluster/ports.js';
import { client } from './http.js';
import { missingTools } from './tools.js';

/**
 * An instance that answers its checks, then cuts the first try of every
 * other request without a word: the failure L7 retries are about. A cut
 * that is not replayed reaches the client as a 502, or as a reset keep-alive
 * connection (HAProxy's `http-reuse safe` mirrors the server to the client).
 */
function cuttingServer(seen: Map<string, number>, state: { ready: boolean }): Server {
  return createServer((request, response) => {
    if (request.url === '/health') return response.end('ok');
    if (request.url === '/ready') {
      response.statusCode = state.ready ? 200 : 503;
      return response.end();
    }
    const key = `${request.method} ${request.url} ${request.headers.cookie ?? '-'}`;
    const tries = (seen.get(key) ?? 0) + 1;
    seen.set(key, tries);
    request.resume();
    request.on('end', () => {
      if (tries === 1 && request.url?.endsWith('?cut')) request.socket.destroy();
      else response.end('counted');
    });
  });
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the balancer configuration', { skip: missingTools() }, () => {
  const seen = new Map<string, number>();
  const state = { ready: true };
  const servers = [cuttingServer(seen, state), cuttingServer(seen, state)];
  const http = client(4);
  let dir: string;
  let balancer: Balancer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polling-balancer-'));
    const ports = [await freePort(), await freePort()];
    for (const [i, server] of servers.entries()) server.listen(ports[i], '127.0.0.1');
    const plan = {
      port: await freePort(),
      statsPort: await freePort(),
      servers: ports.map((port, i) => ({ name: `s${i + 1}`, port })),
    };
    balancer = await Balancer.start(plan, dir);
    await balancer.waitServer('s1', 'UP');
    await balancer.waitServer('s2', 'UP');
  });
  after(async () => {
    http.close();
    await balancer?.stop();
    for (const server of servers) server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const send = (path: string, method: string, headers: Record<string, string> = {}) =>
    http.send(`${balancer.url}${path}`, {
      method,
      headers,
      body: method === 'POST' ? 'vote=1' : undefined,
    });

  it('replays a cut page request on another instance', async () => {
    const answer = await send('/results.html?cut', 'GET');
    assert.equal(answer.status, 200);
    assert.equal(seen.get('GET /results.html?cut -'), 2);
  });

  it('replays a cut vote that carries a voter cookie: the unique key makes it count once', async () => {
    const answer = await send('/vote.html?cut', 'POST', {
      ...form,
      cookie: 'voter=abc.sig',
    });
    assert.equal(answer.status, 200);
    assert.equal(seen.get('POST /vote.html?cut voter=abc.sig'), 2);
  });

  it('never replays a cut vote without a cookie: the replay would be a second voter', async () => {
    const answer = await send('/p/x/vote?cut', 'POST', form);
    assert.notEqual(answer.status, 200);
    assert.equal(seen.get('POST /p/x/vote?cut -'), 1);
  });

  it('never replays other posts, cookie or not', async () => {
    const answer = await send('/m/x/t/close?cut', 'POST', {
      ...form,
      cookie: 'voter=abc.sig',
    });
    assert.notEqual(answer.status, 200);
    assert.equal(seen.get('POST /m/x/t/close?cut voter=abc.sig'), 1);
  });

  it('sends traffic to live instances when none is ready, rather than refusing it', async () => {
    state.ready = false;
    await balancer.waitServer('s1', 'DOWN');
    await balancer.waitServer('s2', 'DOWN');
    const answer = await send('/vote.html', 'GET');
    state.ready = true;
    assert.equal(answer.status, 200);
  });

  it('answers 503 with Retry-After when no instance is alive', async () => {
    for (const server of servers) server.close();
    for (const server of servers) server.closeAllConnections();
    await balancer.waitServer('s1', 'DOWN');
    await balancer.waitServer('s2', 'DOWN');
    const answer = await send('/vote.html', 'GET');
    assert.equal(answer.status, 503);
    assert.equal(answer.headers['retry-after'], '2');
  });
});
