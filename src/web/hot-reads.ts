import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_POLL_SLUG } from '../polls/model.js';
import { rendered, resultsVariant } from '../polls/snapshot-memo.js';
import { visibleToAll } from '../polls/visibility.js';
import type { Services } from '../services.js';
import type { LaneRecorder } from './hot-lane.js';
import { commonHeaders, DOCUMENT_HEADERS } from './respond.js';

type Kind = 'json' | 'page';

interface HotRoute {
  /** The Fastify route pattern, as metrics and the log name it. */
  route: string;
  kind: Kind;
  slug: string;
}

// Only plain slugs: anything encoded, or with a query, takes the normal path.
const API_RESULTS = /^\/api\/v1\/polls\/([\w-]{1,32})\/results$/;
const PAGE_RESULTS = /^\/p\/([\w-]{1,32})\/results$/;

const TYPES: Record<Kind, string> = {
  json: 'application/json; charset=utf-8',
  page: 'text/html; charset=utf-8',
};

/**
 * The hot-read lane: a results document already rendered for the poll's
 * current snapshot is answered straight from node:http, before Fastify builds
 * its request and reply. While a poll is hot, nearly every read is such a
 * repeat, and Fastify's per-request work was most of what a results read cost.
 *
 * It answers only what the Fastify route would answer with the same bytes: a
 * GET with no query, for a poll and results in memory and fresh, visible to
 * anyone (no cookie or token to check), with the document rendered already.
 * Anything else returns false and goes to Fastify, which renders the
 * document the first time and so fills the lane. The log line and metrics
 * are those of the app's onResponse hook (hot-lane.ts).
 */
export function hotReads(
  services: Services,
  recorder: LaneRecorder,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const base = commonHeaders(services.config.servedBy);
  const headers: Record<Kind, Record<string, string>> = {
    json: { ...base, 'content-type': TYPES.json },
    page: { ...base, ...DOCUMENT_HEADERS, 'content-type': TYPES.page },
  };

  return (req, res) => {
    const startedAt = performance.now();
    if (req.method !== 'GET') return false;
    const hot = match(req.url ?? '');
    if (!hot) return false;
    const body = cachedDocument(services, hot);
    if (body === undefined) return false;

    res.writeHead(200, {
      ...headers[hot.kind],
      'content-length': body.length,
    });
    res.end(body);

    recorder.answered(req, { route: hot.route, status: 200, startedAt });
    services.metrics.hotRead();
    return true;
  };
}

function match(url: string): HotRoute | undefined {
  if (url === '/results.html') {
    return { route: '/results.html', kind: 'page', slug: DEFAULT_POLL_SLUG };
  }
  const api = API_RESULTS.exec(url);
  if (api?.[1])
    return { route: '/api/v1/polls/:slug/results', kind: 'json', slug: api[1] };
  const page = PAGE_RESULTS.exec(url);
  if (page?.[1]) return { route: '/p/:slug/results', kind: 'page', slug: page[1] };
  return undefined;
}

function cachedDocument(services: Services, hot: HotRoute): Buffer | undefined {
  const poll = services.polls.cachedPoll(hot.slug);
  if (!poll || !visibleToAll(poll)) return undefined;
  const results = services.polls.cachedResults(poll.id);
  if (!results) return undefined;
  const variant =
    hot.kind === 'json' ? resultsVariant.json(poll) : resultsVariant.page(poll);
  return rendered(results, variant);
}
