import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LoadingCache } from '../src/cache.js';
import { DEFAULT_POLL_SLUG, type Results } from '../src/polls/model.js';
import { PollStore, withBallots } from '../src/polls/store.js';
import { batchWriter } from '../src/votes/batch.js';
import { storedCounts, type TestApp, testApp } from './helpers/app.js';

const RESULTS: Results = {
  options: [
    { id: 1, label: 'one', votes: 4 },
    { id: 2, label: 'two', votes: 0 },
    { id: 3, label: 'three', votes: 1 },
  ],
  ballots: 4,
  total: 5,
};

describe('results kept in memory after a commit', () => {
  it('adds new ballots to the options, the ballots and the total', () => {
    const next = withBallots(RESULTS, [{ choices: '2' }, { choices: '1,3' }]);
    assert.deepEqual(next, {
      options: [
        { id: 1, label: 'one', votes: 5 },
        { id: 2, label: 'two', votes: 1 },
        { id: 3, label: 'three', votes: 2 },
      ],
      ballots: 6,
      total: 8,
    });
    assert.equal(RESULTS.total, 5, 'a snapshot is replaced, never changed');
  });

  it('gives up on a ballot for an option it does not know', () => {
    assert.equal(withBallots(RESULTS, [{ choices: '1' }, { choices: '9' }]), undefined);
  });

  it('changes only a fresh value, and keeps its age', async () => {
    let loads = 0;
    let now = 0;
    const cache = new LoadingCache(async () => ++loads * 10, 1000);
    const realNow = Date.now;
    Date.now = () => now;
    try {
      assert.equal(await cache.get('k'), 10);
      now = 900;
      cache.update('k', (v) => v + 1, performance.now());
      assert.equal(await cache.get('k'), 11);
      assert.equal(loads, 1, 'updated in memory');
      now = 1000;
      assert.equal(await cache.get('k'), 20, 'expires when the loaded value would have');

      cache.update('k', () => undefined, performance.now());
      assert.equal(await cache.get('k'), 30, 'a change that gives up loads again');

      cache.update('missing', (v) => v + 1, performance.now());
      assert.equal(await cache.get('missing'), 40);

      cache.invalidate('k');
      const loading = cache.get('k');
      cache.update('k', (v) => v + 1000, performance.now());
      assert.equal(await loading, 50);
      assert.equal(await cache.get('k'), 60, 'a load that was running is not trusted');

      const changeBegan = performance.now();
      cache.invalidate('k');
      assert.equal(await cache.get('k'), 70, 'read after the change began');
      cache.update('k', (v) => v + 1000, changeBegan);
      assert.equal(
        await cache.get('k'),
        80,
        'a value that may hold the change is read again',
      );
    } finally {
      Date.now = realNow;
    }
  });

  describe('the poll store, on SQLite', () => {
    let t: TestApp;
    let store: PollStore;
    let pollId: number;

    before(async () => {
      t = await testApp({ name: 'sqlite', url: 'sqlite::memory:' });
      store = new PollStore(t.services.db, 60_000);
      const poll = await store.bySlug(DEFAULT_POLL_SLUG);
      assert.ok(poll);
      pollId = poll.id;
    });
    after(() => t.close());

    const draft = (voterId: string, choices: string) => ({
      pollId,
      voterId,
      choices,
      nonce: `${voterId}-nonce`,
      createdAt: Date.now(),
    });

    it('shows new ballots without reading the counts again', async () => {
      const before = await store.results(pollId);
      const ballots = [draft('m-1', '1'), draft('m-2', '2'), draft('m-3', '2')];
      const startedAt = performance.now();
      const written = await batchWriter(t.services)(ballots);
      assert.deepEqual(written.counted, ballots);
      // Counts moved behind the store's back would show only on a read.
      await t.services.db.updateTable('options').set({ votes: 999 }).execute();
      store.votesCommitted([pollId], written.counted, startedAt);

      const after = await store.results(pollId);
      assert.equal(after.ballots, before.ballots + 3);
      assert.equal(after.options[0]?.votes, (before.options[0]?.votes ?? 0) + 1);
      assert.equal(after.options[1]?.votes, (before.options[1]?.votes ?? 0) + 2);
      assert.ok(
        after.options.every((o) => o.votes < 999),
        'not read again',
      );
    });

    it('reads the counts again when its snapshot may hold the commit already', async () => {
      await store.results(pollId);
      store.votesCommitted([pollId], [draft('m-4', '1')], performance.now() - 60_000);
      const read = await store.results(pollId);
      const stored = await storedCounts(t.services, pollId);
      assert.deepEqual(
        read.options.map((o) => o.votes),
        stored.votes,
      );
    });
  });
});
