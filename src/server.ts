import cluster from 'node:cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Logger, pino } from 'pino';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { closeServices, openServices, prepareDatabase } from './services.js';

const RESTART_DELAY_MS = 1_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`polling-app: configuration error: ${err.message}`);
    process.exit(1);
  }
}

/** One instance: serve until SIGTERM or SIGINT, then drain and close within the deadline. */
async function serve(config: Config, log: Logger, prepare: boolean) {
  const services = await openServices(config, log, { prepare });
  const app = await buildApp(services, log);
  // A deep backlog: after a deploy every live-results viewer reconnects at once.
  await app.listen({ host: config.host, port: config.httpPort, backlog: 4096 });

  const shutdown = async (signal: string) => {
    if (services.state.shuttingDown) return;
    services.state.shuttingDown = true;
    log.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down');
    setTimeout(() => {
      log.error(
        { deadlineMs: config.shutdownTimeoutMs },
        'shutdown deadline passed, exiting',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();

    // Readiness now fails; give a balancer time to notice before refusing connections.
    await sleep(config.shutdownDrainMs);
    await app.close();
    await closeServices(services);
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** Several worker processes share the port; a worker that dies is replaced. */
function superviseWorkers(config: Config, log: Logger) {
  let stopping = false;
  for (let i = 0; i < config.workers; i++) cluster.fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'worker died, starting another');
    setTimeout(() => cluster.fork(), RESTART_DELAY_MS);
  });

  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    log.info({ signal, workers: config.workers }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {}))
      worker?.process.kill(signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function main() {
  const config = readConfig();
  const log = pino({
    level: config.logLevel,
    base: { pid: process.pid, host: config.servedBy },
  });

  // An in-memory database exists only inside the one connection that serves.
  const inMemory =
    config.database.kind === 'sqlite' && config.database.file === ':memory:';
  if (cluster.isPrimary && !inMemory) {
    try {
      await prepareDatabase(config, log);
    } catch (err) {
      log.fatal({ err }, 'database could not be prepared, giving up');
      process.exit(1);
    }
    if (config.workers > 1) return superviseWorkers(config, log);
  }
  await serve(config, log, inMemory);
}

await main();
