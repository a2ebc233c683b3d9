import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from '../../scripts/cluster/cluster.js';
import { PrivateMariaDb } from '../../scripts/cluster/mariadb.js';
import { freePort } from '../../scripts/cluster/ports.js';
import { auditVotes } from './audit.js';
import { type Figures, measure } from './figures.js';
import { VoteLoad } from './load.js';

/** Rate limits off: every client comes from 127.0.0.1 and votes fast on purpose. */
const INSTANCE_ENV = { RATE_LIMIT_VOTES_PER_MINUTE: '0', LOG_LEVEL: 'warn' };

/** Load before the event, so that it hits a cluster in its stride. */
export const WARMUP_MS = 3_000;
/** Load after recovery, so that a slow failure would still show. */
export const COOLDOWN_MS = 2_000;

/**
 * One private MariaDB for the whole file (the tests may restart it) and,
 * per test, a fresh database with a fresh three-instance cluster on it.
 */
export class Lab {
  readonly mariadb: PrivateMariaDb;
  readonly #root: string;
  #runs = 0;

  private constructor(root: string, mariadb: PrivateMariaDb) {
    this.#root = root;
    this.mariadb = mariadb;
  }

  static async open(): Promise<Lab> {
    const root = await mkdtemp(join(tmpdir(), 'polling-resilience-'));
    const mariadb = await PrivateMariaDb.create(join(root, 'mariadb'), await freePort());
    return new Lab(root, mariadb);
  }

  async close(): Promise<void> {
    await this.mariadb.stop();
    await rm(this.#root, { recursive: true, force: true });
  }

  /**
   * Runs `scenario` on a new cluster under steady voting load, then audits.
   * The scenario returns how to compute its recovery times, asked once the
   * load has stopped and every request is in.
   */
  async run(
    scenario: (run: Run) => Promise<() => Figures['recoveryMs']>,
  ): Promise<{ figures: Figures; problems: string[]; run: Run }> {
    this.#runs += 1;
    const databaseUrl = await this.mariadb.createDatabase(`resilience_${this.#runs}`);
    const dir = await mkdtemp(join(this.#root, 'cluster-'));
    const cluster = await Cluster.start({
      instances: 3,
      databaseUrl,
      dir,
      env: INSTANCE_ENV,
    });
    const load = new VoteLoad(cluster.url);
    const run = { cluster, load, databaseUrl };
    try {
      load.start();
      await sleep(WARMUP_MS);
      const recovery = await scenario(run);
      await sleep(COOLDOWN_MS);
      await load.stop();
      const recoveryMs = recovery();
      const audit = await auditVotes(databaseUrl, load.votes);
      const counters = await cluster.balancer.failures();
      return {
        figures: measure(load, counters, audit, recoveryMs),
        problems: audit.problems,
        run,
      };
    } finally {
      await load.stop();
      await cluster.stop();
    }
  }
}

export interface Run {
  cluster: Cluster;
  load: VoteLoad;
  databaseUrl: string;
}
