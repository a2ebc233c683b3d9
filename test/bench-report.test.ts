import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addRatios, type Report, type Run } from '../bench/report.js';
import { medianPair } from '../bench/stages/app-matrix.js';

function run(fields: Partial<Run>): Run {
  return {
    stage: 'app',
    db: 'sqlite',
    workers: 1,
    endpoint: 'results-json',
    connections: 32,
    rps: 1000,
    responsesPerSecond: 1000,
    p50Ms: 1,
    p99Ms: 2,
    statuses: { 200: 1000 },
    failures: 0,
    socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
    ...fields,
  };
}

function report(runs: Run[]): Report {
  return {
    startedAt: '',
    commit: '',
    node: '',
    cpus: 2,
    loadAverageAtStart: [],
    options: {} as Report['options'],
    insertCeiling: {
      connections: 32,
      seconds: 1,
      inserts: 8000,
      insertsPerSecond: 8000,
      latencyMs: { p50: 1, p99: 2 },
    },
    runs,
    loads: [],
    notes: [],
    failures: [],
  };
}

describe('bench ratios', () => {
  it('divides by the ceilings paired with a run, else by the ceilings stage', () => {
    const ceiling = run({
      stage: 'ceiling',
      db: 'none',
      endpoint: 'node:http',
      rps: 4000,
    });
    const paired = run({ pairedHttpRps: 2000 });
    const unpaired = run({ stage: 'workers' });
    const vote = run({
      db: 'mariadb',
      endpoint: 'vote',
      rps: 3000,
      pairedHttpRps: 6000,
      pairedInsertRps: 5000,
    });
    const voteUnpaired = run({
      stage: 'workers',
      db: 'mariadb',
      endpoint: 'vote',
      rps: 4000,
    });
    addRatios(report([ceiling, paired, unpaired, vote, voteUnpaired]));

    assert.equal(paired.xHttp, 0.5);
    assert.equal(unpaired.xHttp, 0.25);
    assert.equal(vote.xHttp, 0.5);
    assert.equal(vote.xInsert, 0.6);
    assert.equal(voteUnpaired.xInsert, 0.5);
    assert.equal(ceiling.xHttp, undefined);
  });

  it('puts votes over the vote floor at their connection count, and nothing else', () => {
    const bare = run({ stage: 'ceiling', db: 'none', endpoint: 'node:http', rps: 9000 });
    const floor32 = run({
      stage: 'ceiling',
      db: 'none',
      endpoint: 'vote floor',
      rps: 4000,
    });
    const floor256 = run({
      stage: 'ceiling',
      db: 'none',
      endpoint: 'vote floor',
      connections: 256,
      rps: 5000,
    });
    const vote = run({ endpoint: 'vote', rps: 1000 });
    const vote256 = run({ endpoint: 'vote', connections: 256, rps: 1000 });
    const read = run({ rps: 3000 });
    addRatios(report([floor32, bare, floor256, vote, vote256, read]));

    assert.equal(vote.xFloor, 0.25);
    assert.equal(vote256.xFloor, 0.2);
    assert.equal(read.xFloor, undefined);
    assert.equal(read.xHttp, 3000 / 9000, 'the floor is never the http ceiling');
  });
});

describe('bench pairs', () => {
  it('keeps the pair whose ratio is the median, with every ratio', () => {
    const pairs = [
      run({ rps: 900, pairedHttpRps: 1000 }),
      run({ rps: 300, pairedHttpRps: 1000 }),
      run({ rps: 1000, pairedHttpRps: 2000 }),
    ];
    const row = medianPair(pairs, false);
    assert.equal(row.rps, 1000, 'the median ratio is 0.5, not the median rate');
    assert.deepEqual(row.pairRatios, [0.9, 0.3, 0.5]);
  });

  it('ranks MariaDB votes by their ratio over the inserts', () => {
    const pairs = [
      run({ rps: 800, pairedHttpRps: 1000, pairedInsertRps: 2000 }), // 0.8× http, 0.4× insert
      run({ rps: 400, pairedHttpRps: 4000, pairedInsertRps: 500 }), // 0.1× http, 0.8× insert
    ];
    // Of two pairs the lower is kept: the one that counts is the ratio ranked.
    assert.equal(medianPair(pairs, true).rps, 800);
    assert.equal(medianPair(pairs, false).rps, 400);
  });
});
