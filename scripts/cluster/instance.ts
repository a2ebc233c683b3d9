import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, type ExitInfo, spawnChild, waitFor } from './child.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface InstanceOptions {
  name: string;
  port: number;
  env: Record<string, string | undefined>;
  /** Where its log goes (appended across restarts); kept in memory only when unset. */
  logDir?: string;
  detached?: boolean;
}

/**
 * One app process on a fixed loopback port. A restart reuses the port, so
 * the balancer's configuration never changes: it sees the same server go
 * down and come back.
 */
export class AppInstance {
  readonly name: string;
  readonly port: number;
  readonly #options: InstanceOptions;
  #child: Child | undefined;

  constructor(options: InstanceOptions) {
    this.name = options.name;
    this.port = options.port;
    this.#options = options;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child?.running ?? false;
  }

  get exited(): Promise<ExitInfo> {
    return this.#child?.exited ?? Promise.resolve({ code: null, signal: null });
  }

  /** Starts the process from source, as `npm run dev` does. */
  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const { env, logDir, detached } = this.#options;
    this.#child = spawnChild(
      this.name,
      process.execPath,
      ['--import', 'tsx', 'src/server.ts'],
      {
        env: {
          ...env,
          HOST: '127.0.0.1',
          HTTP_PORT: String(this.port),
          SERVED_BY: this.name,
        },
        cwd: REPO_ROOT,
        logFile: logDir ? join(logDir, `${this.name}.log`) : undefined,
        detached,
      },
    );
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    await waitFor(`${this.name} to be ready`, () => this.isReady(), {
      timeoutMs,
      child: this.#child,
    });
  }

  async isReady(): Promise<boolean> {
    const response = await fetch(`${this.url}/ready`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.ok;
  }

  signal(signal: NodeJS.Signals): void {
    this.#child?.signal(signal);
  }

  /** SIGTERM: the app drains (readiness fails first), then exits. */
  async stop(): Promise<ExitInfo> {
    return this.#child?.stop('SIGTERM', 30_000) ?? { code: null, signal: null };
  }

  output(): string {
    return this.#child?.output() ?? '';
  }
}
