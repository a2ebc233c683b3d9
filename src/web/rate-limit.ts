import type {
  FastifyRateLimitStore,
  RateLimitOptions,
  RateLimitPluginOptions,
} from '@fastify/rate-limit';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

interface Window {
  count: number;
  startedAt: number;
}

/** Past this many addresses, windows that ended are swept; past twice, the oldest go. */
const MAX_KEYS = 50_000;

/**
 * Fixed-window counters in this process's memory. One set serves every
 * limited route and both request paths (Fastify's plugin and the hot-vote
 * lane), so a vote costs the same budget whether it came by form or by API
 * and whichever path answered it; the route's `groupId` keeps votes and
 * poll creations apart. Each process counts alone: with WORKERS=N or N
 * instances an address gets up to N times the limit.
 */
export class RateWindows {
  readonly #windows = new Map<string, Window>();

  /** Counts one more request; `current` includes it, `ttl` is ms until the window ends. */
  incr(key: string, timeWindow: number): { current: number; ttl: number } {
    const now = Date.now();
    let window = this.#windows.get(key);
    if (!window || window.startedAt + timeWindow <= now) {
      if (!window && this.#windows.size >= MAX_KEYS) this.#sweep(now, timeWindow);
      window = { count: 0, startedAt: now };
      this.#windows.set(key, window);
    }
    window.count++;
    return { current: window.count, ttl: window.startedAt + timeWindow - now };
  }

  /** Requests counted in the key's current window, without counting one. */
  peek(key: string, timeWindow: number): number {
    const window = this.#windows.get(key);
    return window && window.startedAt + timeWindow > Date.now() ? window.count : 0;
  }

  #sweep(now: number, timeWindow: number) {
    for (const [key, window] of this.#windows) {
      if (window.startedAt + timeWindow <= now) this.#windows.delete(key);
    }
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < MAX_KEYS) break;
      this.#windows.delete(key);
    }
  }
}

/**
 * The plugin's settings: nothing is limited unless a route asks (`global:
 * false`), and everything is counted in `windows`.
 */
export function rateLimitPlugin(windows: RateWindows): RateLimitPluginOptions {
  // The plugin builds its store itself, with `new` and no way in for ours.
  class Store implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      callback(null, windows.incr(key, timeWindow));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return {
    global: false,
    store: Store,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'rate_limited',
        `too many requests from your address, retry in ${context.after}`,
      ),
  };
}

interface Limit {
  max: number;
  timeWindow: number;
  groupId: string;
}

export interface RouteLimits {
  votes: { rateLimit?: Limit & RateLimitOptions };
  polls: { rateLimit?: Limit & RateLimitOptions };
}

/** Route `config` for the two limited actions; a limit of 0 turns it off (no hook at all). */
export function routeLimits(config: Config): RouteLimits {
  const { votesPerMinute, pollsPerHour } = config.rateLimits;
  return {
    votes: limit('votes', votesPerMinute, 60_000),
    polls: limit('polls', pollsPerHour, 3_600_000),
  };
}

function limit(groupId: string, max: number, timeWindow: number) {
  return max > 0 ? { rateLimit: { max, timeWindow, groupId } } : {};
}
