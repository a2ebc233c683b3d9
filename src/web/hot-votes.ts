import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { normalizeIP } from '@fastify/rate-limit';
import { parse } from 'fast-querystring';
import type { FastifyBaseLogger } from 'fastify';
import { DEFAULT_POLL_SLUG, isOpen, type Poll } from '../polls/model.js';
import { visibleToAll } from '../polls/visibility.js';
import type { Services } from '../services.js';
import { castVote } from '../votes/cast.js';
import { type Client, clientOf } from './client.js';
import { crossSiteRefusal } from './cross-site.js';
import { errorPage, failureOf } from './failures.js';
import type { LaneRecorder } from './hot-lane.js';
import { linksFor } from './links.js';
import { votePage } from './pages/poll-pages.js';
import { type RateWindows, routeLimits } from './rate-limit.js';
import { commonHeaders, DOCUMENT_HEADERS, prefersJson } from './respond.js';
import { formVotes, resultsDocument, voteAnswer } from './vote-answer.js';

interface HotVote {
  /** The Fastify route pattern, as metrics and the log name it. */
  route: string;
  slug: string;
}

// Only plain slugs: anything encoded, or with a query, takes the normal path.
const POLL_VOTE = /^\/p\/([\w-]{1,32})\/vote$/;
const FORM = 'application/x-www-form-urlencoded';
/** A vote form is a few dozen bytes; anything bigger is Fastify's to limit. */
const MAX_BODY_BYTES = 1024;

interface Answer {
  status: number;
  body: string | Buffer;
  /** Headers of this answer only: the voter cookie, Retry-After. */
  headers: Record<string, string>;
  /** The request's logger, when the answer logged already. */
  log?: FastifyBaseLogger;
}

/**
 * The hot-vote lane: a form vote on an open poll whose results anyone may
 * see is taken straight from node:http, before Fastify builds its request
 * and reply. At the rates a viral poll sees, Fastify's per-request work
 * (routing, hooks, the body parser, the reply) cost more than the vote.
 *
 * Everything that can be told from the headers is decided before the body
 * is read, and anything but the common case returns false and goes to
 * Fastify unread: JSON clients, other content types, bodies that are large
 * or chunked, polls not in memory or not open or with hidden results,
 * cross-site posts, and an address at its rate limit. Once the lane has the
 * vote it answers every outcome (counted, already voted, closed, invalid,
 * database away) through the functions the vote route uses, with the same
 * status, headers and bytes; test/hot-votes.test.ts holds it to that.
 */
export function hotVotes(
  services: Services,
  recorder: LaneRecorder,
  windows: RateWindows,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { config } = services;
  const limit = routeLimits(config).votes.rateLimit;
  const ctx = { servedBy: config.servedBy };
  const page = {
    ...commonHeaders(config.servedBy),
    ...DOCUMENT_HEADERS,
    'content-type': 'text/html; charset=utf-8',
  };

  /** The rate-limit headers of a vote it counts, or undefined when the address is at its limit. */
  const countVote = (client: Client): Record<string, string> | undefined => {
    if (!limit) return {};
    const key = normalizeIP(client.ip) + limit.groupId;
    if (windows.peek(key, limit.timeWindow) >= limit.max) return undefined;
    const { current, ttl } = windows.incr(key, limit.timeWindow);
    return {
      'x-ratelimit-limit': String(limit.max),
      'x-ratelimit-remaining': String(Math.max(0, limit.max - current)),
      'x-ratelimit-reset': String(Math.ceil(ttl / 1000)),
    };
  };

  const vote = async (
    req: IncomingMessage,
    poll: Poll,
    client: Client,
    form: string,
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    try {
      const voter = services.voters.resolve(
        req.headers.cookie,
        client.protocol === 'https',
      );
      if (voter.setCookie) headers['set-cookie'] = voter.setCookie;
      const result = await castVote(
        services.votes,
        poll,
        voter.id,
        formVotes(parse(form), poll),
      );
      const answer = voteAnswer(result);
      if (answer.page === 'vote') {
        const body = votePage(ctx, poll, linksFor(poll), answer.notice);
        return { status: answer.status, body, headers };
      }
      const results = await services.polls.results(poll.id);
      const body = resultsDocument(ctx, poll, results, answer.notice);
      return { status: answer.status, body, headers };
    } catch (err) {
      return failed(req, err, headers);
    }
  };

  const failed = (
    req: IncomingMessage,
    err: unknown,
    headers: Record<string, string>,
  ): Answer => {
    const { error, retryAfter, level, fields, message } = failureOf(err);
    const log = recorder.logger(req);
    log[level](fields, message);
    if (retryAfter) headers['retry-after'] = retryAfter;
    return { status: error.statusCode, body: errorPage(ctx, error), headers, log };
  };

  return (req, res) => {
    const startedAt = performance.now();
    if (req.method !== 'POST') return false;
    const hot = match(req.url ?? '');
    if (!hot || !isPlainForm(req.headers)) return false;
    const poll = services.polls.cachedPoll(hot.slug);
    if (!poll || !isOpen(poll) || !visibleToAll(poll)) return false;
    const client = clientOf(req, config.trustProxy);
    if (crossSiteRefusal(req.headers, client.host)) return false;
    const limited = countVote(client);
    if (!limited) return false;

    readBody(req, async (form) => {
      const answer = await vote(req, poll, client, form);
      res.writeHead(answer.status, {
        ...page,
        ...limited,
        ...answer.headers,
        'content-length': String(Buffer.byteLength(answer.body)),
      });
      res.end(answer.body);
      const done = { route: hot.route, status: answer.status, startedAt };
      recorder.answered(req, done, answer.log);
      services.metrics.hotVote();
    });
    return true;
  };
}

function match(url: string): HotVote | undefined {
  if (url === '/vote.html') return { route: '/vote.html', slug: DEFAULT_POLL_SLUG };
  const slug = POLL_VOTE.exec(url)?.[1];
  return slug ? { route: '/p/:slug/vote', slug } : undefined;
}

/** A small, whole urlencoded form, from a client that reads HTML. */
function isPlainForm(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  const length = Number(headers['content-length'] ?? Number.NaN);
  return (
    type === FORM &&
    headers['transfer-encoding'] === undefined &&
    Number.isInteger(length) &&
    length > 0 &&
    length <= MAX_BODY_BYTES &&
    !prefersJson({ headers })
  );
}

/**
 * Calls `answer` with the body as text; a client that goes away mid-body
 * gets nothing. `answer` handles its own failures: one that still escapes
 * (a bug) drops the connection rather than the process.
 */
function readBody(req: IncomingMessage, answer: (body: string) => Promise<void>) {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    answer(Buffer.concat(chunks).toString()).catch(() => req.socket.destroy());
  });
  req.on('error', () => {});
}
