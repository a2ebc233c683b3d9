import { isTransient } from '../db/errors.js';
import { AppError, ERRORS, toAppError } from '../errors.js';
import { VotesUnavailableError } from '../votes/writer.js';
import type { PageContext } from './layout.js';
import { sentence } from './pages/format.js';
import { messagePage } from './pages/poll-pages.js';

/** What a request that failed is answered with, and how it is logged once. */
export interface Failure {
  error: AppError;
  /** Seconds, for a Retry-After header. */
  retryAfter?: string;
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/**
 * Turns whatever a request threw into the client's error: catalog errors
 * as they are, a database that is away as 503 with Retry-After, anything
 * else as 500. Both request paths (Fastify's error handler and the hot-vote
 * lane) answer through this.
 */
export function failureOf(err: unknown): Failure {
  const appError = toAppError(err);
  if (appError) {
    const fields = { code: appError.code, detail: appError.message };
    return { error: appError, level: 'info', fields, message: 'request refused' };
  }
  if (err instanceof VotesUnavailableError || isTransient(err)) {
    return {
      error: new AppError('unavailable'),
      retryAfter: '2',
      level: 'warn',
      fields: { err },
      message: 'vote not recorded: database unavailable',
    };
  }
  return {
    error: new AppError('internal'),
    level: 'error',
    fields: { err },
    message: 'request failed',
  };
}

/** The page an error is shown on: the catalog's message, and a way back home. */
export function errorPage(ctx: PageContext, error: AppError): string {
  const title = error.statusCode >= 500 ? 'Sorry' : titleFor(error);
  return messagePage(ctx, title, sentence(error.message), '/');
}

/** An error as the JSON API gives it. */
export function errorJson(error: AppError) {
  return { error: { code: error.code, message: error.message } };
}

function titleFor(error: AppError): string {
  if (error.code === 'already_voted') return 'Already voted';
  if (error.code === 'poll_closed') return 'Poll closed';
  if (error.statusCode === 404) return 'Not found';
  return ERRORS[error.code].status === 429 ? 'Slow down' : 'That did not work';
}
