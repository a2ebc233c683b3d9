import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Also append the output to this file (the cluster command keeps logs there). */
  logFile?: string;
  /**
   * Its own process group, so that a terminal's Ctrl-C reaches only the
   * cluster command, which then stops the children in order.
   */
  detached?: boolean;
}

/** A process we started: its recent output, its exit, and a bounded way to stop it. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  readonly running: boolean;
  output(): string;
  signal(signal: NodeJS.Signals): void;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ExitInfo>;
}

const OUTPUT_KEPT_CHARS = 64 * 1024;
const alive = new Set<ChildProcess>();

// Last resort when the parent exits without stopping them: no orphans left behind.
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: ChildOptions,
): Child {
  const proc = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(proc);
  let output = '';
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
    log?.write(chunk);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);

  let running = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    proc.once('error', (err) => {
      keep(Buffer.from(`${name}: ${err.message}\n`));
      running = false;
      alive.delete(proc);
      resolve({ code: null, signal: null });
    });
    proc.once('exit', (code, signal) => {
      running = false;
      alive.delete(proc);
      log?.end();
      resolve({ code, signal });
    });
  });

  const signal = (sig: NodeJS.Signals) => {
    if (running) proc.kill(sig);
  };
  const stop = async (sig: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) => {
    signal(sig);
    // Unreferenced: a stopped child must not keep its parent alive for the grace time.
    const late = sleep(graceMs, 'late' as const, { ref: false });
    if ((await Promise.race([exited, late])) === 'late') signal('SIGKILL');
    return exited;
  };

  return {
    name,
    process: proc,
    exited,
    get running() {
      return running;
    },
    output: () => output,
    signal,
    stop,
  };
}

/** Waits for `check` to hold, polling; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = 30_000, everyMs = 100, child }: WaitOptions = {},
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (Date.now() < giveUpAt) {
    if (child && !child.running) {
      throw new Error(
        `${child.name} exited while waiting for ${what}:\n${child.output()}`,
      );
    }
    if (await check().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

interface WaitOptions {
  timeoutMs?: number;
  everyMs?: number;
  /** Fail at once, with its output, if this process dies meanwhile. */
  child?: Child;
}
