import { createServer } from 'node:http';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { apiRoutes } from './api/routes.js';
import { AppError } from './errors.js';
import { liveRoutes } from './live/routes.js';
import { metricsRoutes } from './metrics/routes.js';
import { opsRoutes } from './ops/routes.js';
import { lazyRequestLogger, requestIdFrom, requestLine } from './request-logger.js';
import type { Services } from './services.js';
import { errorJson, errorPage, failureOf } from './web/failures.js';
import { LaneRecorder } from './web/hot-lane.js';
import { hotReads } from './web/hot-reads.js';
import { hotVotes } from './web/hot-votes.js';
import { RateWindows, rateLimitPlugin } from './web/rate-limit.js';
import { commonHeaders, prefersJson, sendPage } from './web/respond.js';
import { pageRoutes } from './web/routes.js';
import { staticRoutes } from './web/static.js';

const BODY_LIMIT_BYTES = 16 * 1024;
/** Fastify's default, which a server of our own must set itself. */
const KEEP_ALIVE_MS = 72_000;

/** The whole service as a Fastify instance; listening and signals live in server.ts. */
export async function buildApp(
  services: Services,
  logger: FastifyBaseLogger,
): Promise<FastifyInstance> {
  const windows = new RateWindows();
  const app = Fastify({
    loggerInstance: logger,
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: services.config.trustProxy,
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    forceCloseConnections: 'idle',
    // Requests already on an open connection when shutdown starts are served, not refused.
    return503OnClosing: false,
    // Unknown fields are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors: (err, request, reply) => sendError(err, request, reply),
    // Repeated results reads and form votes are answered before Fastify sees
    // them (hot-reads.ts, hot-votes.ts).
    serverFactory: (handler) => {
      const recorder = new LaneRecorder(services, logger);
      const reads = hotReads(services, recorder);
      const votes = hotVotes(services, recorder, windows);
      const server = createServer((req, res) => {
        if (!reads(req, res) && !votes(req, res)) handler(req, res);
      });
      // Fastify's defaults, which it sets only on the servers it makes itself.
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.requestTimeout = 0;
      server.setTimeout(0);
      return server;
    },
  });
  // Every response; pages add the document headers (CSP and friends) in sendPage.
  const headers = commonHeaders(services.config.servedBy);

  // Callback hooks, not async ones: these run on every request, and a
  // promise each is measurable at the rates the benchmark drives.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const route = request.routeOptions.url ?? 'unmatched';
    services.metrics.request(request.method, route, status, reply.elapsedTime);
    const level = status >= 500 ? 'error' : 'info';
    const line = requestLine(request.method, route, status, reply.elapsedTime);
    request.log[level](line, 'request');
    done();
  });
  // Live streams never end on their own: end them before the server waits for its connections.
  app.addHook('preClose', async () => services.live.close());
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(new AppError('not_found'), request, reply),
  );

  // Limits only the routes whose config asks (votes, poll creation): reads stay free.
  await app.register(rateLimit, rateLimitPlugin(windows));
  await app.register(async (pages) => {
    await pages.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
    await pageRoutes(pages, services);
  });
  await app.register((api) => apiRoutes(api, services), { prefix: '/api/v1' });
  await app.register((live) => liveRoutes(live, services), { prefix: '/api/v1' });
  await app.register((ops) => opsRoutes(ops, services));
  await app.register((m) =>
    metricsRoutes(m, { metrics: services.metrics, token: services.config.metricsToken }),
  );
  await app.register((assets) =>
    staticRoutes(assets, ['app.css', 'favicon.svg', 'live.js', 'app.js']),
  );
  return app;
}

/** The one place Fastify's errors become responses: JSON under /api, a page elsewhere. */
function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { error, retryAfter, level, fields, message } = failureOf(err);
  request.log[level](fields, message);
  if (retryAfter) reply.header('retry-after', retryAfter);

  reply.code(error.statusCode);
  if (wantsJson(request)) return reply.send(errorJson(error));
  const ctx = { servedBy: String(reply.getHeader('x-served-by') ?? '') };
  return sendPage(reply, errorPage(ctx, error), error.statusCode);
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || prefersJson(request);
}
