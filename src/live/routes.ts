import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../api/auth.js';
import { AppError } from '../errors.js';
import type { Poll } from '../polls/model.js';
import { HIDDEN_MESSAGES, hiddenResultsReason } from '../polls/visibility.js';
import type { Services } from '../services.js';

interface SlugParams {
  slug: string;
}

const slugParams = {
  type: 'object',
  properties: { slug: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } },
  required: ['slug'],
} as const;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // nginx and some proxies buffer responses unless told not to.
  'x-accel-buffering': 'no',
};

/**
 * GET /polls/:slug/events: the poll's results as Server-Sent Events. Each
 * `results` event carries the JSON of GET /polls/:slug/results; the first
 * comes at once, the next whenever the counts change.
 */
export async function liveRoutes(app: FastifyInstance, services: Services) {
  const route = '/polls/:slug/events';
  // A stream's duration is how long someone watched, not how fast we answered.
  services.metrics.untimed(`${app.prefix}${route}`);

  app.get<{ Params: SlugParams }>(
    route,
    { schema: { params: slugParams } },
    async (request, reply) => {
      const poll = await services.polls.bySlug(request.params.slug);
      if (!poll) {
        throw new AppError('poll_not_found', `there is no poll "${request.params.slug}"`);
      }
      await checkVisible(services, poll, request);
      if (services.state.shuttingDown) {
        // An EventSource gives up for good on an error status; an empty
        // stream with a short retry sends it to another instance instead.
        return reply
          .type('text/event-stream')
          .header('cache-control', 'no-store')
          .send('retry: 500\n\n');
      }
      openStream(services, poll, request, reply);
      return reply;
    },
  );
}

async function checkVisible(services: Services, poll: Poll, request: FastifyRequest) {
  // As GET /results decides it; a browser's EventSource sends the cookie only.
  const viewer = services.voters.viewer(request, { manageToken: bearerToken(request) });
  const hidden = await hiddenResultsReason(services.db, poll, viewer);
  if (hidden) throw new AppError('results_hidden', HIDDEN_MESSAGES[hidden]);
}

/**
 * Takes the response over from Fastify for as long as the client listens.
 * No timer is set per connection: the hub's one heartbeat serves them all.
 */
function openStream(
  services: Services,
  poll: Poll,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const socket = request.raw.socket;
  // A stream is idle between events by design; no idle timeout may cut it.
  socket.setTimeout(0);
  socket.setNoDelay(true);

  reply.headers(STREAM_HEADERS);
  reply.hijack();
  const res = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) res.setHeader(name, value);
  }
  res.writeHead(200);
  const unsubscribe = services.live.subscribe({ id: poll.id, slug: poll.slug }, res);
  res.once('close', unsubscribe);
  // We end a stream only when its poll is gone or the server closes: let the
  // connection go too, so that a closing server is not held by idle sockets.
  res.once('finish', () => socket.destroy());
}
