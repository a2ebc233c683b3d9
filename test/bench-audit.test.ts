/**
 * The bench's vote audit, short enough for CI: ~3 s of wrk voting at 32
 * connections against the real app on each database, then the database must
 * hold every accepted vote once and nothing beyond what was sent. Needs wrk
 * (`apt-get install -y wrk`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningApp, startApp } from '../bench/app.js';
import { describeAudit, findProblems } from '../bench/audit.js';
import type { BenchDb } from '../bench/db/bench-db.js';
import { mariadbBenchDb } from '../bench/db/mariadb.js';
import { countPoll, loadBallots, resetPoll } from '../bench/db/poll-data.js';
import { sqliteBenchDb } from '../bench/db/sqlite.js';
import { POLL } from '../bench/endpoints.js';
import { measure } from '../bench/measure.js';
import { checkWrk } from '../bench/wrk.js';

const MARIADB_URL =
  process.env.TEST_MYSQL_URL ?? 'mysql://polling:polling@127.0.0.1:3306/polling_test';

const targets = [
  { name: 'sqlite', open: () => sqliteBenchDb() },
  { name: 'mariadb', open: async () => mariadbBenchDb(MARIADB_URL) },
].filter(
  (t) => !process.env.TEST_DATABASES || process.env.TEST_DATABASES.includes(t.name),
);

describe('the vote audit rule', () => {
  const seen = { accepted: 100, sent: 140, unsure: 32 };
  const counts = (rows: number, votes = rows, ballotCount = rows) => ({
    rows,
    votes,
    ballotCount,
  });

  it('accepts rows between the accepted and the sent count', () => {
    assert.deepEqual(findProblems(counts(100), seen), []);
    assert.deepEqual(findProblems(counts(132), seen), []);
  });

  it('flags a lost vote, a doubled vote and counters out of step', () => {
    assert.match(findProblems(counts(99), seen).join(), /lost votes/);
    assert.match(findProblems(counts(133), seen).join(), /doubled/);
    assert.match(findProblems(counts(141), seen).join(), /only 140 sent/);
    assert.match(findProblems(counts(110, 111), seen).join(), /sum\(options.votes\)/);
    assert.match(findProblems(counts(110, 110, 109), seen).join(), /ballot_count/);
  });

  it('fails a run in which no vote was accepted', () => {
    const none = { accepted: 0, sent: 50, unsure: 50 };
    assert.match(findProblems(counts(0), none).join(), /no vote/);
  });
});

for (const target of targets) {
  describe(`the app under wrk voting load on ${target.name}`, () => {
    let db: BenchDb;
    let app: RunningApp;
    before(async () => {
      await checkWrk();
      db = await target.open();
      app = await startApp({ db, workers: 1, entry: 'src' });
    });
    after(async () => {
      await app?.stop();
      // polling_test is shared with the other suites: leave the default poll empty.
      if (db) await resetPoll(db, POLL);
      await db?.close();
    });

    it('stores every accepted vote once and none that was not sent', async () => {
      const run = await measure({
        app,
        db,
        endpoint: 'vote',
        connections: 32,
        seconds: 3,
        threads: 1,
      });

      assert.ok(run.audit, 'a vote run must be audited');
      assert.ok(run.audit.ok, describeAudit(run.audit));
      assert.ok(run.audit.accepted > 100, `only ${run.audit.accepted} votes accepted`);
    });

    it('loads ballots straight into the database with counters to match', async () => {
      await resetPoll(db, POLL);
      await loadBallots(db, POLL, 1234);

      assert.deepEqual(await countPoll(db, POLL), {
        rows: 1234,
        votes: 1234,
        ballotCount: 1234,
      });
      const res = await fetch(`${app.baseUrl}/api/v1/polls/${POLL}/results`);
      assert.equal(res.status, 200);
    });
  });
}
