import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';
import { resultsJson } from '../polls/export.js';
import type { PollStore } from '../polls/store.js';
import { LiveHub, type LiveHubOptions, type LiveLoader } from './hub.js';

/** The process's hub for live results, counted in the metrics. */
export function createLiveHub(
  polls: PollStore,
  log: Logger,
  metrics: Metrics,
  options: LiveHubOptions = {},
): LiveHub {
  return new LiveHub(resultsFeed(polls), log, {
    onRead: () => metrics.liveRead(),
    onPush: () => metrics.livePush(),
    ...options,
  });
}

/**
 * The hub's read of one poll: the same JSON as GET /polls/:slug/results,
 * with counts read from the database now (which also refreshes the store's
 * cache for the pages), and the poll itself from the store's cache.
 */
export function resultsFeed(polls: PollStore): LiveLoader {
  return async (topic) => {
    const poll = await polls.bySlug(topic.slug);
    if (!poll || poll.id !== topic.id) return undefined;
    const results = await polls.freshResults(poll.id);
    return JSON.stringify(resultsJson(poll, results));
  };
}
