import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { type LevelAwareLogger, requestIdFrom, requestLine } from '../request-logger.js';
import type { Services } from '../services.js';

/**
 * What the hot lanes (hot-reads.ts, hot-votes.ts) share: they answer before
 * Fastify builds its request and reply, so they count and log each answer
 * the way the app's onResponse hook does for the requests Fastify answers.
 */
export class LaneRecorder {
  readonly #services: Services;
  readonly #log: LevelAwareLogger;

  constructor(services: Services, log: FastifyBaseLogger) {
    this.#services = services;
    this.#log = log as LevelAwareLogger;
  }

  /** The request's logger, carrying its request id as Fastify's would. */
  logger(req: IncomingMessage): FastifyBaseLogger {
    return this.#log.child({ reqId: requestIdFrom(req.headers['x-request-id']) });
  }

  /** The request's metrics and its one log line; `log` when it has a logger already. */
  answered(
    req: IncomingMessage,
    answer: { route: string; status: number; startedAt: number },
    log?: FastifyBaseLogger,
  ): void {
    const ms = performance.now() - answer.startedAt;
    const method = req.method ?? '';
    this.#services.metrics.request(method, answer.route, answer.status, ms);
    const level = answer.status >= 500 ? 'error' : 'info';
    // A child logger costs more than the rest of a hot answer: make it only to write.
    if (!this.#log.isLevelEnabled(level)) return;
    const line = requestLine(method, answer.route, answer.status, ms);
    (log ?? this.logger(req))[level](line, 'request');
  }
}
