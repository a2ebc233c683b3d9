import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Metrics } from './metrics.js';

export interface MetricsRouteOptions {
  metrics: Metrics;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
}

/**
 * GET /metrics in Prometheus text format. Not rate limited: a scraper calls
 * it every few seconds from one address, and a refused scrape is a hole in
 * the graphs exactly when the service is busiest.
 */
export async function metricsRoutes(app: FastifyInstance, options: MetricsRouteOptions) {
  const { registry } = options.metrics;
  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    if (options.token) checkToken(request, options.token);
    reply.type(registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
}

function checkToken(request: FastifyRequest, token: string) {
  const given = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('unauthorized', 'a valid metrics token is required');
  }
}
