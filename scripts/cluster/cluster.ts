import { Balancer } from './balancer.js';
import { DRAIN_MS } from './haproxy-config.js';
import { AppInstance } from './instance.js';
import { freePort, freePorts } from './ports.js';

export interface ClusterOptions {
  instances: number;
  databaseUrl: string;
  /** Holds haproxy.cfg (and the logs, with `logToFiles`). */
  dir: string;
  /** The balancer's port; a free one when unset. */
  port?: number;
  statsPort?: number;
  /** More environment for the instances; it may override the defaults below. */
  env?: Record<string, string | undefined>;
  logToFiles?: boolean;
  detached?: boolean;
}

/** What every instance behind the balancer needs, unless the caller says otherwise. */
const INSTANCE_DEFAULTS = {
  LOG_LEVEL: 'warn',
  // HAProxy adds X-Forwarded-For; per-address limits then see the real client.
  TRUST_PROXY: 'true',
  SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
  SHUTDOWN_TIMEOUT_MS: '15000',
};

/** N app instances on loopback behind one HAProxy, all on one database. */
export class Cluster {
  readonly instances: AppInstance[];
  readonly balancer: Balancer;

  private constructor(instances: AppInstance[], balancer: Balancer) {
    this.instances = instances;
    this.balancer = balancer;
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const instances = await createInstances(options);
    await startAll(instances);

    const plan = {
      port: options.port ?? (await freePort()),
      statsPort: options.statsPort ?? (await freePort()),
      servers: instances.map((i) => ({ name: i.name, port: i.port })),
    };
    let balancer: Balancer | undefined;
    try {
      balancer = await Balancer.start(plan, options.dir, { detached: options.detached });
      const started = balancer;
      await Promise.all(instances.map((i) => started.waitServer(i.name, 'UP')));
      return new Cluster(instances, balancer);
    } catch (err) {
      await Promise.all([balancer?.stop(), ...instances.map((i) => i.stop())]);
      throw err;
    }
  }

  get url(): string {
    return this.balancer.url;
  }

  instance(name: string): AppInstance {
    const found = this.instances.find((i) => i.name === name);
    if (!found) throw new Error(`no instance named ${name}`);
    return found;
  }

  /** Starts a stopped (or killed) instance again on its port; resolves once in rotation. */
  async revive(instance: AppInstance): Promise<void> {
    instance.start();
    await instance.waitReady();
    await this.balancer.waitServer(instance.name, 'UP');
  }

  /** SIGTERM, wait for the drained exit, start again, wait until back in rotation. */
  async restart(instance: AppInstance): Promise<void> {
    await instance.stop();
    await this.revive(instance);
  }

  /** The balancer and the instances stop together: both finish what is in flight. */
  async stop(): Promise<void> {
    await Promise.all([this.balancer.stop(), ...this.instances.map((i) => i.stop())]);
  }
}

async function createInstances(options: ClusterOptions): Promise<AppInstance[]> {
  const env = {
    PATH: process.env.PATH,
    ...INSTANCE_DEFAULTS,
    ...options.env,
    DATABASE_URL: options.databaseUrl,
  };
  const ports = await freePorts(options.instances);
  return ports.map(
    (port, i) =>
      new AppInstance({
        name: `app-${i + 1}`,
        port,
        env,
        logDir: options.logToFiles ? options.dir : undefined,
        detached: options.detached,
      }),
  );
}

/** Fails with the instance's own output when it could not start. */
async function startAll(instances: AppInstance[]): Promise<void> {
  for (const instance of instances) instance.start();
  try {
    await Promise.all(instances.map((i) => i.waitReady()));
  } catch (err) {
    await Promise.all(instances.map((i) => i.stop()));
    throw err;
  }
}
