import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { startServer, waitUntilUp } from './helpers/process.js';

const file = join(tmpdir(), `polling-server-${process.pid}.db`);
const port = String(19_000 + (process.pid % 1000));
const base = `http://127.0.0.1:${port}`;

/** One vote on its own connection: 200, another status, or 'refused'. */
function voteOnce(option: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(`${base}/vote.html`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    req.end(`vote=${option}`);
  });
}

describe('the server process', () => {
  after(() => rm(file, { force: true }));

  it('stops on bad configuration with one line naming the variable', async () => {
    const server = startServer({
      HTTP_PORT: 'eighty',
      MASTER_PASSWORD: 'do-not-print-me',
    });
    assert.equal(await server.exited, 1);
    assert.equal(
      server.output().trim(),
      'polling-app: configuration error: HTTP_PORT must be an integer from 1 to 65535, got "eighty"',
    );
  });

  it('waits for the database with logged retries, then gives up without printing secrets', async () => {
    const server = startServer({
      DATABASE_URL: 'mysql://polling:very-secret-pw@127.0.0.1:1/polls',
      DB_WAIT_SECONDS: '2',
    });
    assert.equal(await server.exited, 1);
    const retries = server.output().match(/database not reachable yet/g) ?? [];
    assert.ok(retries.length >= 2, server.output());
    assert.match(server.output(), /giving up/);
    assert.doesNotMatch(server.output(), /very-secret-pw/);
  });

  it('finishes the votes in flight at SIGTERM and loses none it acknowledged', async () => {
    await rm(file, { force: true });
    const server = startServer({
      DATABASE_URL: `sqlite:${file}`,
      HTTP_PORT: port,
      LOG_LEVEL: 'warn',
    });
    await waitUntilUp(`${base}/ready`);

    const votes = Array.from({ length: 300 }, (_, i) => voteOnce((i % 10) + 1));
    setTimeout(() => server.child.kill('SIGTERM'), 20);
    const outcomes = await Promise.all(votes);
    assert.equal(await server.exited, 0, server.output());

    const accepted = outcomes.filter((o) => o === 200).length;
    // Connections still in the listen backlog when it closes are refused or
    // reset: those votes were never read, and the counts below prove it.
    const notTaken = new Set([200, 'ECONNREFUSED', 'ECONNRESET']);
    const other = outcomes.filter((o) => !notTaken.has(o));
    assert.deepEqual(other, [], 'every vote is either answered 200 or never read');
    assert.ok(accepted > 0);
    const db = new SQLite(file, { readonly: true });
    const stored = db.prepare('select count(*) as n from ballots').get() as { n: number };
    const counted = db.prepare('select sum(votes) as n from options').get() as {
      n: number;
    };
    db.close();
    assert.equal(stored.n, accepted);
    assert.equal(counted.n, accepted);
  });

  it('fails readiness while draining, then exits', async () => {
    await rm(file, { force: true });
    const server = startServer({
      DATABASE_URL: `sqlite:${file}`,
      HTTP_PORT: port,
      SHUTDOWN_DRAIN_MS: '1500',
      LOG_LEVEL: 'warn',
    });
    await waitUntilUp(`${base}/ready`);
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));

    assert.equal((await fetch(`${base}/ready`)).status, 503);
    assert.equal((await fetch(`${base}/health`)).status, 200);
    assert.equal(await voteOnce(1), 200);
    assert.equal(await server.exited, 0);
  });
});
