import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addRatios, type Report, type Run } from '../bench/report.js';

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
});
