import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Last lines the process printed, for error messages. */
  output: () => string;
}

export interface StartSpec {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Polled until it answers 200. */
  readyUrl: string;
  readyTimeoutMs?: number;
}

/** Starts a Node process and waits until readyUrl answers 200. */
export async function startNode(spec: StartSpec): Promise<Started> {
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepTail(child);
  if (child.pid === undefined) throw new Error(`${spec.name}: spawn failed`);
  const started = { child, pid: child.pid, output };

  try {
    await waitReady(spec, child);
  } catch (err) {
    await stopNode(started);
    throw err;
  }
  return started;
}

async function waitReady(spec: StartSpec, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${spec.name} exited before it was ready (code ${child.exitCode})`);
    }
    if (await answers200(spec.readyUrl)) return;
    await sleep(100);
  }
  throw new Error(`${spec.name} did not answer ${spec.readyUrl} within the timeout`);
}

async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within the grace period. */
export async function stopNode(started: Started, graceMs = 20_000): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function keepTail(child: ChildProcess, max = 40): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - max));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string')
    throw new Error('no port assigned');
  return address.port;
}

/** Sum of VmRSS over a process and all its descendants (Linux /proc), in bytes. */
export async function treeRssBytes(rootPid: number): Promise<number> {
  const pids = await descendants(rootPid);
  let total = 0;
  for (const pid of [rootPid, ...pids]) total += await rssBytes(pid);
  return total;
}

async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0; // the process exited between listing and reading
  }
}

async function descendants(rootPid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parents.set(Number(entry), ppid);
  }

  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}
