import type { Report, Run } from './report.js';
import type { SseResult } from './stages/sse.js';
import type { Target } from './targets.js';

const COLUMNS = [
  'stage',
  'db',
  'w',
  'endpoint',
  'conns',
  'ballots',
  '2xx/s',
  'p50 ms',
  'p99 ms',
  'ceiling/s',
  'x http',
  'x insert',
  'x floor',
  'non-2xx',
  'audit',
];

/** The report as text: runs, the insert ceiling, SSE, targets, notes. */
export function formatReport(report: Report): string {
  const sections = [
    `polling-app bench, ${report.startedAt}, commit ${report.commit}, node ${report.node}, ` +
      `${report.cpus} cpus, load ${report.loadAverageAtStart[0]?.toFixed(1)} at start, ` +
      `${report.options.seconds} s a run, app rows the median of ${report.options.pairs} pairs`,
    report.runs.length > 0 ? table([COLUMNS, ...report.runs.map(runCells)]) : '',
    insertLine(report),
    sseLines(report),
    targetLines(report.targets ?? []),
    ...report.notes.map((n) => `note: ${n}`),
    ...report.failures.map((f) => `FAILED: ${f}`),
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

function runCells(r: Run): string[] {
  const ratio = (x?: number) => (x === undefined ? '' : x.toFixed(2));
  let audit = '';
  if (r.audit) audit = r.audit.ok ? `ok ${r.audit.rows}` : 'FAILED';
  return [
    r.stage,
    r.db,
    String(r.workers),
    r.endpoint,
    String(r.connections),
    r.pollSize === undefined ? '' : String(r.pollSize),
    r.rps.toFixed(0),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    ceilingCell(r),
    ratio(r.xHttp),
    ratio(r.xInsert),
    ratio(r.xFloor),
    String(r.failures),
    audit,
  ];
}

/** The paired ceilings a run's ratios are over: node:http, and inserts for MariaDB votes. */
function ceilingCell(r: Run): string {
  if (r.pairedHttpRps === undefined) return '';
  const http = r.pairedHttpRps.toFixed(0);
  return r.pairedInsertRps === undefined
    ? http
    : `${http} / ${r.pairedInsertRps.toFixed(0)}`;
}

/** Rows as aligned columns, the first row the heading, with a rule under it. */
export function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const [head, ...body] = rows;
  return [line(head ?? []), rule, ...body.map(line)].join('\n').replace(/ +$/gm, '');
}

function insertLine(report: Report): string {
  const c = report.insertCeiling;
  if (!c) return '';
  return (
    `MariaDB raw INSERT ceiling: ${c.insertsPerSecond.toFixed(0)} inserts/s from ` +
    `${c.connections} connections, p50 ${c.latencyMs.p50.toFixed(2)} ms, ` +
    `p99 ${c.latencyMs.p99.toFixed(2)} ms`
  );
}

function sseLines(report: Report): string {
  return [report.sseCeiling, report.sse]
    .flatMap((s) => (s ? [describeSse(s)] : []))
    .join('\n');
}

function describeSse(s: SseResult): string {
  const updates = s.updates.map(
    (u, i) =>
      `  update ${i + 1}: reached ${u.reached}, all in ${u.allMs?.toFixed(0) ?? 'never'} ms, ` +
      `p50 ${u.p50Ms.toFixed(0)} ms, p99 ${u.p99Ms.toFixed(0)} ms`,
  );
  return [
    `SSE on ${s.server}: ${s.connected}/${s.wanted} subscribers connected ` +
      `(${s.failed} failed), RSS ${s.rssIdleMB.toFixed(0)} MB idle, ` +
      `${s.rssWithSubscribersMB.toFixed(0)} MB with them`,
    ...updates,
  ].join('\n');
}

function targetLines(targets: Target[]): string {
  if (targets.length === 0) return '';
  return [
    'targets:',
    ...targets.map(
      (t) => `  ${t.met ? 'met ' : 'MISS'}  ${t.goal} [${t.where}]: ${t.actual}`,
    ),
  ].join('\n');
}
