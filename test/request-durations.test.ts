import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { RequestDurations } from '../src/metrics/request-durations.js';

const NAME = 'http_request_duration_seconds';
const HELP = 'Time to answer an HTTP request, by route pattern';
const BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.1, 1];

type Observation = [method: string, route: string, status: number, seconds: number];

// Several series, values on a bound (a bound is inclusive), between bounds,
// zero and past the last bound.
const OBSERVATIONS: Observation[] = [
  ['GET', '/results.html', 200, 0.0004],
  ['GET', '/results.html', 200, 0.0005],
  ['GET', '/results.html', 200, 0.0007],
  ['GET', '/results.html', 200, 0],
  ['GET', '/api/v1/polls/:slug/results', 200, 0.003],
  ['GET', '/api/v1/polls/:slug/results', 404, 0.02],
  ['POST', '/vote.html', 200, 0.0049],
  ['POST', '/vote.html', 200, 2.5],
  ['POST', '/vote.html', 409, 1],
  ['GET', '/results.html', 200, 0.01],
];

/** The exposition's sample lines, one set per metric, in any order. */
function sampleLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .sort();
}

function bothFed(observations: Observation[]) {
  const reference = new Registry();
  const histogram = new Histogram({
    name: NAME,
    help: HELP,
    buckets: BOUNDS,
    labelNames: ['method', 'route', 'status_code'],
    registers: [reference],
  });
  const ours = new Registry();
  const durations = new RequestDurations(NAME, HELP, BOUNDS, ours);
  for (const [method, route, status, seconds] of observations) {
    histogram.observe({ method, route, status_code: status }, seconds);
    durations.observe(method, route, status, seconds);
  }
  return { reference, ours, durations };
}

describe('request durations', () => {
  it('expose the same text as a prom-client Histogram fed the same values', async () => {
    const { reference, ours } = bothFed(OBSERVATIONS);
    const expected = await reference.metrics();
    const actual = await ours.metrics();
    assert.deepEqual(sampleLines(actual), sampleLines(expected));
    // The header lines too, and the counts are really there.
    assert.equal(
      actual.split('\n').slice(0, 2).join('\n'),
      expected.split('\n').slice(0, 2).join('\n'),
    );
    assert.ok(
      actual.includes(
        `${NAME}_count{method="POST",route="/vote.html",status_code="200"} 2`,
      ),
    );
    assert.ok(
      actual.includes(
        `${NAME}_bucket{le="0.0005",method="GET",route="/results.html",status_code="200"} 3`,
      ),
    );
  });

  it('give the same JSON as prom-client, for tools that read it', async () => {
    const { reference, ours } = bothFed(OBSERVATIONS);
    const byText = (values: { labels: object; metricName?: string; value: number }[]) =>
      values.map((v) => JSON.stringify([v.metricName, v.labels, v.value])).sort();
    const [expected] = await reference.getMetricsAsJSON();
    const [actual] = await ours.getMetricsAsJSON();
    assert.ok(expected && actual);
    assert.equal(actual.name, expected.name);
    assert.equal(String(actual.type), String(expected.type));
    assert.deepEqual(byText(actual.values), byText(expected.values));
  });

  it('ignore a duration that is not a number, and start again when reset', async () => {
    const { ours, durations } = bothFed([['GET', '/health', 200, 0.001]]);
    durations.observe('GET', '/health', 200, Number.NaN);
    durations.observe('GET', '/health', 200, Number.POSITIVE_INFINITY);
    const count = '_count{method="GET",route="/health",status_code="200"} 1';
    assert.ok((await ours.metrics()).includes(count));

    ours.resetMetrics();
    assert.deepEqual(sampleLines(await ours.metrics()), []);
  });
});
