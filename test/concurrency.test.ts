import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storedCounts, type TestApp, testApp } from './helpers/app.js';
import { databases } from './helpers/databases.js';
import { formHeaders, httpClient } from './helpers/http.js';

const mariadb = databases.find((d) => d.name === 'mariadb');
const VOTES = 2400;
const CONNECTIONS = 64;
// Every vote here comes from 127.0.0.1: the per-address limit would refuse most.
const unlimited = { RATE_LIMIT_VOTES_PER_MINUTE: '0' };

describe('votes under concurrency on a real server and MariaDB', {
  skip: !mariadb,
}, () => {
  const instances: TestApp[] = [];
  const bases: string[] = [];
  const client = httpClient(CONNECTIONS);

  before(async () => {
    if (!mariadb) return;
    // Two instances share one database, as behind a load balancer.
    instances.push(await testApp(mariadb, unlimited));
    instances.push(await testApp(mariadb, unlimited, { keepData: true }));
    for (const t of instances)
      bases.push(await t.app.listen({ host: '127.0.0.1', port: 0 }));
  });
  after(async () => {
    client.close();
    for (const t of instances) await t.close();
  });

  const pollId = async () =>
    (await instances[0]?.services.polls.bySlug('default'))?.id ?? 0;

  it(`counts exactly the accepted votes of ${VOTES} sent over ${CONNECTIONS} connections`, async () => {
    const before = await storedCounts(instances[0] as TestApp, await pollId());
    let next = 0;
    const statuses: number[] = [];
    const perOption = new Array(10).fill(0);
    const worker = async () => {
      while (next < VOTES) {
        const i = next++;
        const option = (i % 10) + 1;
        const response = await client.send(bases[i % 2] as string, '/vote.html', {
          method: 'POST',
          headers: formHeaders,
          body: `vote=${option}&vote=Vote`,
        });
        statuses.push(response.status);
        if (response.status === 200) perOption[option - 1]++;
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));

    const accepted = statuses.filter((s) => s === 200).length;
    assert.equal(accepted, VOTES, `statuses: ${[...new Set(statuses)].join(',')}`);
    const after = await storedCounts(instances[0] as TestApp, await pollId());
    assert.equal(after.ballots - before.ballots, accepted);
    assert.deepEqual(
      after.votes.map((v, i) => v - (before.votes[i] ?? 0)),
      perOption,
    );
  });

  it('counts once the many simultaneous votes of one voter across both instances', async () => {
    const first = await client.send(bases[0] as string, '/vote.html');
    const cookie = String(first.headers['set-cookie']).split(';')[0] as string;
    const before = await storedCounts(instances[0] as TestApp, await pollId());

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        client.send(bases[i % 2] as string, '/vote.html', {
          method: 'POST',
          headers: { ...formHeaders, cookie },
          body: `vote=${(i % 10) + 1}`,
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 99);
    const after = await storedCounts(instances[0] as TestApp, await pollId());
    assert.equal(after.ballots - before.ballots, 1);
    assert.equal(after.total - before.total, 1);
  });
});
