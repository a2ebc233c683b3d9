// Scale-out on one machine: N app instances on loopback behind HAProxy, on
// one MariaDB. Prints the balancer's URL; Ctrl-C stops everything in order.
//   npm run cluster -- [--instances 3] [--port 8080] [--private-db | --database-url URL]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Cluster } from './cluster.js';
import { PrivateMariaDb, sharedDatabase } from './mariadb.js';
import { freePort } from './ports.js';

const USAGE =
  'usage: npm run cluster -- [--instances N] [--port PORT] [--stats-port PORT]\n' +
  '                          [--private-db | --database-url URL]';

interface Args {
  instances: number;
  port: number;
  statsPort: number | undefined;
  privateDb: boolean;
  databaseUrl: string | undefined;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      instances: { type: 'string', default: '3' },
      port: { type: 'string', default: '8080' },
      'stats-port': { type: 'string' },
      'private-db': { type: 'boolean', default: false },
      'database-url': { type: 'string' },
    },
  });
  if (values['private-db'] && values['database-url']) {
    throw new Error('--private-db and --database-url exclude each other');
  }
  return {
    instances: integerArg('instances', values.instances, 1, 16) as number,
    port: integerArg('port', values.port, 1, 65_535) as number,
    statsPort: integerArg('stats-port', values['stats-port'], 1, 65_535),
    privateDb: values['private-db'] ?? false,
    databaseUrl: values['database-url'],
  };
}

function integerArg(name: string, raw: string | undefined, min: number, max: number) {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** The database the instances share, and how to let go of it. */
async function openDatabase(args: Args, dir: string) {
  if (args.databaseUrl) return { url: args.databaseUrl, close: async () => {} };
  if (!args.privateDb)
    return { url: await sharedDatabase('polling_cluster'), close: async () => {} };
  const db = await PrivateMariaDb.create(join(dir, 'mariadb'), await freePort(), {
    detached: true,
  });
  return { url: await db.createDatabase('polling_cluster'), close: () => db.stop() };
}

function describe(cluster: Cluster, dir: string, databaseUrl: string): string {
  return [
    `balancer   ${cluster.url}`,
    `stats      ${cluster.balancer.statsUrl}`,
    ...cluster.instances.map(
      (i) => `${i.name.padEnd(10)} ${i.url}  (log ${dir}/${i.name}.log)`,
    ),
    `database   ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`,
    'Ctrl-C stops everything.',
  ].join('\n');
}

/** What to undo, in reverse order of acquiring it, on Ctrl-C or a failed start. */
const undo: Array<() => Promise<unknown>> = [];

async function tearDown() {
  for (const step of undo.splice(0).reverse()) {
    await step().catch((err) => console.error(`cluster: while stopping: ${err}`));
  }
}

async function start(args: Args) {
  const dir = await mkdtemp(join(tmpdir(), 'polling-cluster-'));
  undo.push(() => rm(dir, { recursive: true, force: true }));
  const database = await openDatabase(args, dir);
  undo.push(database.close);
  const cluster = await Cluster.start({
    instances: args.instances,
    databaseUrl: database.url,
    dir,
    port: args.port,
    statsPort: args.statsPort,
    // The caller's environment reaches the instances (RATE_LIMIT_*, VOTE_RETRY_MS…).
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    logToFiles: true,
    detached: true,
  });
  undo.push(() => cluster.stop());
  console.log(describe(cluster, dir, database.url));
}

async function main() {
  let args: Args;
  try {
    args = readArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`cluster: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }

  let stopping = false;
  const stop = async () => {
    // A second Ctrl-C does not wait: the exit handler kills what is left.
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nstopping: balancer and instances drain, then the database stops');
    await tearDown();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  try {
    await start(args);
  } catch (err) {
    console.error(`cluster: ${err instanceof Error ? err.message : String(err)}`);
    await tearDown();
    process.exit(1);
  }
}

await main();
