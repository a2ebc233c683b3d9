import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { apiRoutes } from './api/routes.js';
import { AppError, ERRORS, toAppError } from './errors.js';
import { opsRoutes } from './ops/routes.js';
import type { Services } from './services.js';
import { VotesUnavailableError } from './votes/writer.js';
import { messagePage } from './web/pages/poll-pages.js';
import { pageRoutes } from './web/routes.js';
import { staticRoutes } from './web/static.js';

const BODY_LIMIT_BYTES = 16 * 1024;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
    "form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** The whole service as a Fastify instance; listening and signals live in server.ts. */
export async function buildApp(
  services: Services,
  logger: FastifyBaseLogger,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    disableRequestLogging: true,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: services.config.trustProxy,
    genReqId: (request) => safeRequestId(request.headers['x-request-id']) ?? randomUUID(),
    forceCloseConnections: 'idle',
    frameworkErrors: (err, request, reply) => sendError(err, request, reply),
  });
  const headers = { ...SECURITY_HEADERS, 'x-served-by': services.config.servedBy };

  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : 'info';
    request.log[level](
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(new AppError('not_found'), request, reply),
  );

  await app.register(cookie, { secret: services.cookieSecret });
  await app.register(async (pages) => {
    await pages.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
    await pageRoutes(pages, services);
  });
  await app.register((api) => apiRoutes(api, services), { prefix: '/api/v1' });
  await app.register((ops) => opsRoutes(ops, services));
  await app.register((assets) => staticRoutes(assets, ['app.css', 'favicon.svg']));
  return app;
}

function safeRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : undefined;
}

/** The one place errors become responses: JSON under /api, a page elsewhere. */
function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(err);
  let error: AppError;
  if (appError) {
    error = appError;
    request.log.info({ code: error.code, detail: error.message }, 'request refused');
  } else if (err instanceof VotesUnavailableError) {
    error = new AppError('unavailable');
    reply.header('retry-after', '2');
    request.log.warn({ err }, 'vote not recorded: database unavailable');
  } else {
    error = new AppError('internal');
    request.log.error({ err }, 'request failed');
  }

  reply.code(error.statusCode);
  if (wantsJson(request)) {
    return reply.send({ error: { code: error.code, message: error.message } });
  }
  const title = error.statusCode >= 500 ? 'Sorry' : titleFor(error);
  const page = messagePage(
    { servedBy: String(reply.getHeader('x-served-by') ?? '') },
    title,
    error.message,
    '/',
  );
  return reply.type('text/html; charset=utf-8').send(page);
}

function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function titleFor(error: AppError): string {
  if (error.code === 'already_voted') return 'Already voted';
  if (error.code === 'poll_closed') return 'Poll closed';
  if (error.statusCode === 404) return 'Not found';
  return ERRORS[error.code].status === 429 ? 'Slow down' : 'That did not work';
}
