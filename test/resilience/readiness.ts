import { setTimeout as sleep } from 'node:timers/promises';
import type { AppInstance } from '../../scripts/cluster/instance.js';

export interface ReadinessChange {
  instance: string;
  at: number;
  ready: boolean;
}

const EVERY_MS = 100;

/**
 * Asks every instance's /ready directly (not through the balancer) every
 * 100 ms and keeps each change, so a test can say when readiness went down
 * and when it came back on each instance.
 */
export class ReadinessWatch {
  readonly changes: ReadinessChange[] = [];
  readonly #instances: AppInstance[];
  readonly #last = new Map<string, boolean>();
  #stopping = false;
  #loops: Promise<void>[] = [];

  constructor(instances: AppInstance[]) {
    this.#instances = instances;
  }

  start(): void {
    this.#loops = this.#instances.map((instance) => this.#watch(instance));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#loops);
  }

  /** When `instance` last became ready after `since`, if it did. */
  readyAgainAt(instance: string, since: number): number | undefined {
    const ups = this.changes.filter(
      (c) => c.instance === instance && c.ready && c.at >= since,
    );
    return ups.at(-1)?.at;
  }

  /** When `instance` first stopped being ready after `since`, if it did. */
  downAt(instance: string, since: number): number | undefined {
    return this.changes.find((c) => c.instance === instance && !c.ready && c.at >= since)
      ?.at;
  }

  isReady(instance: string): boolean {
    return this.#last.get(instance) ?? false;
  }

  async #watch(instance: AppInstance) {
    while (!this.#stopping) {
      const ready = await instance.isReady().catch(() => false);
      if (this.#last.get(instance.name) !== ready) {
        this.#last.set(instance.name, ready);
        this.changes.push({ instance: instance.name, at: Date.now(), ready });
      }
      await sleep(EVERY_MS);
    }
  }
}
