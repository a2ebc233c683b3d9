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
 * Fixed-window counters in this process's memory. One store serves every
 * limited route (the plugin asks each route for a `child`), so a vote costs
 * the same budget whether it came by form or by API; the route's `groupId`
 * keeps votes and poll creations apart. Each process counts alone: with
 * WORKERS=N or N instances an address gets up to N times the limit.
 */
class SharedWindowStore implements FastifyRateLimitStore {
  readonly #windows = new Map<string, Window>();

  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
  ): void {
    const now = Date.now();
    let window = this.#windows.get(key);
    if (!window || window.startedAt + timeWindow <= now) {
      if (!window && this.#windows.size >= MAX_KEYS) this.#sweep(now, timeWindow);
      window = { count: 0, startedAt: now };
      this.#windows.set(key, window);
    }
    window.count++;
    callback(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
  }

  child(): FastifyRateLimitStore {
    return this;
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

/** The plugin's settings: nothing is limited unless a route asks (`global: false`). */
export const rateLimitPlugin: RateLimitPluginOptions = {
  global: false,
  store: SharedWindowStore,
  errorResponseBuilder: (_request, context) =>
    new AppError(
      'rate_limited',
      `too many requests from your address, retry in ${context.after}`,
    ),
};

export interface RouteLimits {
  votes: { rateLimit?: RateLimitOptions };
  polls: { rateLimit?: RateLimitOptions };
}

/**
 * Route `config` for the two limited actions. A limit of 0 adds no hook at
 * all, so the benchmark's votes pay nothing for it.
 */
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
