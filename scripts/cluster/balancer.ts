import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Child, spawnChild, waitFor } from './child.js';
import { type BalancerPlan, haproxyConfig } from './haproxy-config.js';

/** One row of HAProxy's CSV statistics: a frontend, a backend, or a server. */
export type StatRow = Record<string, string>;

/** The counters that mean a client or the balancer saw a failure. */
export interface FailureCounters {
  /** Requests HAProxy could not read from clients (frontend). */
  ereq: number;
  /** Connections to instances that failed (backends). */
  econ: number;
  /** Responses from instances that failed or were cut (backends). */
  eresp: number;
  /** 5xx answers sent to clients, HAProxy's own included (frontend). */
  hrsp5xx: number;
  /** Retries and redispatches HAProxy made on its own. */
  retries: number;
  redispatches: number;
}

/** HAProxy from the system, run by us in the foreground with a generated configuration. */
export class Balancer {
  readonly plan: BalancerPlan;
  readonly #child: Child;

  private constructor(plan: BalancerPlan, child: Child) {
    this.plan = plan;
    this.#child = child;
  }

  static async start(plan: BalancerPlan, dir: string, { detached = false } = {}) {
    const configFile = join(dir, 'haproxy.cfg');
    await writeFile(configFile, haproxyConfig(plan));
    // -db: stay in the foreground, no daemon; we own its lifetime.
    const child = spawnChild('haproxy', 'haproxy', ['-db', '-f', configFile], {
      env: { PATH: process.env.PATH },
      detached,
    });
    const balancer = new Balancer(plan, child);
    await waitFor('HAProxy to answer', async () => (await balancer.stats()).length > 0, {
      child,
    });
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.plan.port}`;
  }

  get statsUrl(): string {
    return `http://127.0.0.1:${this.plan.statsPort}/stats`;
  }

  async stats(): Promise<StatRow[]> {
    const response = await fetch(`${this.statsUrl};csv`);
    if (!response.ok) throw new Error(`HAProxy stats answered ${response.status}`);
    return parseStats(await response.text());
  }

  /** An instance's state as the balancer sees it: UP, DOWN, "UP 1/2", MAINT… */
  async serverStatus(server: string, backend = 'app'): Promise<string | undefined> {
    const row = (await this.stats()).find(
      (r) => r.pxname === backend && r.svname === server,
    );
    return row?.status;
  }

  async waitServer(server: string, status: 'UP' | 'DOWN', timeoutMs = 30_000) {
    await waitFor(
      `HAProxy to see ${server} ${status}`,
      async () => (await this.serverStatus(server)) === status,
      { timeoutMs, child: this.#child },
    );
  }

  async failures(): Promise<FailureCounters> {
    return failureCounters(await this.stats());
  }

  output(): string {
    return this.#child.output();
  }

  /** Soft stop (SIGUSR1): listeners close, requests in flight finish. */
  async stop(): Promise<void> {
    await this.#child.stop('SIGUSR1', 10_000);
  }
}

export function parseStats(csv: string): StatRow[] {
  const [header = '', ...rows] = csv.trim().split('\n');
  const names = header.replace(/^# /, '').split(',');
  return rows.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
  });
}

function failureCounters(rows: StatRow[]): FailureCounters {
  const sum = (field: string, where: (r: StatRow) => boolean) =>
    rows.filter(where).reduce((total, r) => total + (Number(r[field]) || 0), 0);
  const frontend = (r: StatRow) => r.pxname === 'web' && r.svname === 'FRONTEND';
  const backends = (r: StatRow) =>
    (r.pxname ?? '').startsWith('app') && r.svname === 'BACKEND';
  return {
    ereq: sum('ereq', frontend),
    econ: sum('econ', backends),
    eresp: sum('eresp', backends),
    hrsp5xx: sum('hrsp_5xx', frontend),
    retries: sum('wretr', backends),
    redispatches: sum('wredis', backends),
  };
}
