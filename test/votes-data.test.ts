import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { prepareDatabase } from '../src/services.js';
import { batchWriter } from '../src/votes/batch.js';
import {
  createPoll,
  silentLog,
  storedCounts,
  type TestApp,
  testApp,
} from './helpers/app.js';
import { emptyDatabase, forEachDatabase } from './helpers/databases.js';

forEachDatabase((target) => {
  let t: TestApp;
  let pollId: number;
  before(async () => {
    t = await testApp(target);
    pollId = (await t.services.polls.bySlug('default'))?.id ?? 0;
  });
  after(() => t.close());

  it('records every one of 600 concurrent votes exactly once', async () => {
    const before = await storedCounts(t.services, pollId);
    const outcomes = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        t.services.votes.submit(pollId, `bulk-voter-${i}`, [(i % 10) + 1]),
      ),
    );
    assert.ok(outcomes.every((o) => o === 'accepted'));
    const after = await storedCounts(t.services, pollId);
    assert.equal(after.ballots - before.ballots, 600);
    assert.equal(after.total - before.total, 600);
    for (let option = 0; option < 10; option++) {
      assert.equal((after.votes[option] ?? 0) - (before.votes[option] ?? 0), 60);
    }
  });

  it('accepts one of many concurrent votes from one voter', async () => {
    const before = await storedCounts(t.services, pollId);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.services.votes.submit(pollId, 'eager-voter', [(i % 3) + 1]),
      ),
    );
    assert.equal(outcomes.filter((o) => o === 'accepted').length, 1);
    assert.equal(outcomes.filter((o) => o === 'duplicate').length, 39);
    const after = await storedCounts(t.services, pollId);
    assert.equal(after.ballots - before.ballots, 1);
    assert.equal(after.total - before.total, 1);
  });

  it('treats a replayed batch whose commit already landed as accepted, counting once', async () => {
    const draft = {
      pollId,
      voterId: 'replayed-voter',
      choices: '5',
      nonce: 'nonce-1',
      createdAt: 1_700_000_000_000,
    };
    const write = batchWriter(t.services);
    const first = await write([draft]);
    const before = await storedCounts(t.services, pollId);
    const replay = await write([draft]);
    const other = await write([{ ...draft, nonce: 'nonce-2' }]);
    assert.deepEqual(
      [first, replay, other],
      [
        { outcomes: ['accepted'], counted: [draft] },
        // Accepted, but stored by the first commit: not a new vote in the counts.
        { outcomes: ['accepted'], counted: [] },
        { outcomes: ['duplicate'], counted: [] },
      ],
    );
    assert.deepEqual(await storedCounts(t.services, pollId), before);
  });

  it('falls back to row-by-row writes when another writer took a voter first', async () => {
    const drafts = ['race-a', 'race-b', 'race-c'].map((voterId) => ({
      pollId,
      voterId,
      choices: '1',
      nonce: `${voterId}-first`,
      createdAt: Date.now(),
    }));
    // Both batches read "no ballot yet" before either inserts only if they
    // overlap; sending them together exercises the unique-key path.
    const write = batchWriter(t.services);
    const [a, b] = await Promise.all([
      write(drafts),
      write(drafts.map((d) => ({ ...d, nonce: `${d.voterId}-second` }))),
    ]);
    const outcomes = [...a.outcomes, ...b.outcomes];
    const accepted = outcomes.filter((o) => o === 'accepted');
    assert.equal(accepted.length, 3);
  });

  it('counts a batch mixing an open and a closed poll only where it is open', async () => {
    const closed = await createPoll(t, {
      question: 'Closed in the database only?',
      options: ['yes', 'no'],
    });
    await t.services.db
      .updateTable('polls')
      .set({ closed_at: Date.now() })
      .where('id', '=', closed.id)
      .execute();
    const before = await storedCounts(t.services, pollId);
    const draft = (poll: number, voterId: string, choices: string) => ({
      pollId: poll,
      voterId,
      choices,
      nonce: `${voterId}-nonce`,
      createdAt: Date.now(),
    });
    const closedOption = (await t.services.polls.bySlug(closed.slug))?.options[0]?.id;

    const ballots = [
      draft(pollId, 'mixed-a', '2'),
      draft(closed.id, 'mixed-b', String(closedOption)),
      draft(pollId, 'mixed-c', '3'),
    ];
    const written = await batchWriter(t.services)(ballots);
    assert.deepEqual(written, {
      outcomes: ['accepted', 'closed', 'accepted'],
      counted: [ballots[0], ballots[2]],
    });
    const after = await storedCounts(t.services, pollId);
    assert.equal(after.ballots - before.ballots, 2);
    assert.equal((after.votes[1] ?? 0) - (before.votes[1] ?? 0), 1);
    assert.equal((after.votes[2] ?? 0) - (before.votes[2] ?? 0), 1);
    assert.deepEqual(await storedCounts(t.services, closed.id), {
      ballots: 0,
      votes: [0, 0],
      total: 0,
    });
  });

  it('refuses votes for a poll closed in the database though a cache thinks it open', async () => {
    const before = await storedCounts(t.services, pollId);
    await t.services.db
      .updateTable('polls')
      .set({ closed_at: Date.now() })
      .where('id', '=', pollId)
      .execute();
    try {
      const outcome = await t.services.votes.submit(pollId, 'late-voter', [1]);
      assert.equal(outcome, 'closed');
      assert.deepEqual(await storedCounts(t.services, pollId), before);
    } finally {
      await t.services.db
        .updateTable('polls')
        .set({ closed_at: null })
        .where('id', '=', pollId)
        .execute();
    }
  });
});

forEachDatabase((target) => {
  const file = join(tmpdir(), `polling-migrate-${process.pid}.db`);
  const url = target.name === 'sqlite' ? `sqlite:${file}` : target.url;

  after(() => rm(file, { force: true }));

  it('migrates and seeds exactly once when four instances start together', async () => {
    await emptyDatabase(url);
    await rm(file, { force: true });
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
    await Promise.all([1, 2, 3, 4].map(() => prepareDatabase(config, silentLog)));

    const { db } = openDatabase(config.database);
    try {
      const polls = await db.selectFrom('polls').select(['id', 'slug']).execute();
      assert.deepEqual(
        polls.map((p) => p.slug),
        ['default'],
      );
      const options = await db.selectFrom('options').select('id').orderBy('id').execute();
      assert.deepEqual(
        options.map((o) => Number(o.id)),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
    } finally {
      await db.destroy();
    }
  });
});
