import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ping } from '../db/wait.js';
import { AppError } from '../errors.js';
import type { Services } from '../services.js';

const READY_TIMEOUT_MS = 1_000;

/** Liveness, readiness, and the admin switch that fails liveness on purpose. */
export async function opsRoutes(app: FastifyInstance, services: Services) {
  const { state } = services;

  // Liveness only: a database outage must not make a balancer drop every instance.
  app.get('/health', async (_request, reply) => {
    reply.type('text/plain; charset=utf-8');
    if (state.failing) return reply.code(503).send('failing');
    return 'ok';
  });

  app.get('/ready', async (_request, reply) => {
    if (state.shuttingDown) return reply.code(503).send({ status: 'shutting_down' });
    if (state.failing) return reply.code(503).send({ status: 'failing' });
    try {
      await ping(services.db, READY_TIMEOUT_MS);
      return { status: 'ready', queuedVotes: services.votes.queued };
    } catch (err) {
      app.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'database_unreachable' });
    }
  });

  const fail = async (request: FastifyRequest) => {
    checkAdmin(request, services.config.adminToken);
    state.failing = true;
    request.log.warn('health check set to fail by an admin');
    return { failing: true };
  };
  app.get('/fail', fail);
  app.post('/fail', fail);
  app.delete('/fail', async (request) => {
    checkAdmin(request, services.config.adminToken);
    state.failing = false;
    request.log.warn('health check restored by an admin');
    return { failing: false };
  });
}

function checkAdmin(request: FastifyRequest, token: string | undefined) {
  if (!token) throw new AppError('forbidden', 'set ADMIN_TOKEN to enable /fail');
  const given = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('unauthorized');
  }
}
