import type { Report, Run } from './report.js';

/** A goal from issue 5, checked against one run's figures. */
export interface Target {
  goal: string;
  where: string;
  actual: string;
  met: boolean;
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);

export function checkTargets(report: Report): Target[] {
  return [
    ...ratioTargets(report),
    ...flatResultsTargets(report.runs),
    ...sseTargets(report),
  ];
}

function ratioTargets(report: Report): Target[] {
  const app = report.runs.filter((r) => r.stage === 'app');
  const where = (r: Run) => `${r.db} ${r.endpoint} c=${r.connections}`;
  const targets: Target[] = [];

  for (const r of app.filter((r) => r.endpoint === 'vote')) {
    if (r.db === 'mariadb' && r.xInsert !== undefined) {
      targets.push({
        goal: 'votes on MariaDB >= 0.8x raw insert rate, p99 < 50 ms',
        where: where(r),
        actual: `${fmt(r.xInsert)}x, p99 ${fmt(r.p99Ms, 1)} ms`,
        met: r.xInsert >= 0.8 && r.p99Ms < 50,
      });
    }
    if (r.db === 'sqlite' && r.xHttp !== undefined) {
      targets.push(
        ratioTarget('votes on SQLite >= 0.4x bare node:http', where(r), r.xHttp, 0.4),
      );
    }
  }
  for (const r of app.filter((r) => r.endpoint.startsWith('results'))) {
    if (r.xHttp === undefined) continue;
    targets.push(ratioTarget('results >= 0.5x bare node:http', where(r), r.xHttp, 0.5));
  }
  return targets;
}

function ratioTarget(goal: string, where: string, ratio: number, floor: number): Target {
  return { goal, where, actual: `${fmt(ratio)}x`, met: ratio >= floor };
}

/** "Flat": the big poll's median latency within 25% (plus 0.5 ms of timer noise). */
function flatResultsTargets(runs: Run[]): Target[] {
  const scale = runs.filter((r) => r.stage === 'scale');
  const targets: Target[] = [];
  for (const big of scale) {
    const small = scale.find(
      (r) => r.db === big.db && r.endpoint === big.endpoint && r.pollSize === 100,
    );
    if (!small || big === small) continue;
    targets.push({
      goal: 'results latency flat from 100 to 1M votes',
      where: `${big.db} ${big.endpoint}`,
      actual:
        `p50 ${fmt(small.p50Ms)} -> ${fmt(big.p50Ms)} ms, ` +
        `${fmt(small.rps, 0)} -> ${fmt(big.rps, 0)} req/s (${big.pollSize} votes)`,
      met: big.p50Ms <= small.p50Ms * 1.25 + 0.5,
    });
  }
  return targets;
}

function sseTargets(report: Report): Target[] {
  const sse = report.sse;
  if (!sse) return [];
  const worst = sse.updates.reduce<number | null>(
    (max, u) => (max === null || u.allMs === null ? null : Math.max(max, u.allMs)),
    0,
  );
  const where = `${sse.connected}/${sse.wanted} subscribers, ${sse.server}`;
  return [
    {
      goal: '10k subscribers: update reaches all < 1 s',
      where,
      actual: worst === null ? 'some never got it' : `${fmt(worst, 0)} ms (worst of 3)`,
      met: worst !== null && worst < 1000 && sse.connected === sse.wanted,
    },
    {
      goal: '10k subscribers: app RSS < 300 MB',
      where,
      actual: `${fmt(sse.rssWithSubscribersMB, 0)} MB (idle ${fmt(sse.rssIdleMB, 0)} MB)`,
      met: sse.rssWithSubscribersMB < 300 && sse.connected === sse.wanted,
    },
  ];
}
