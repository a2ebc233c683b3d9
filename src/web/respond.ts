import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { resultsCsv, resultsJson } from '../polls/export.js';
import type { Poll, Results } from '../polls/model.js';
import type { Services } from '../services.js';

/** Headers on every response, whichever path answers it (Fastify or the hot-read lane). */
export function commonHeaders(servedBy: string): Record<string, string> {
  return { 'x-content-type-options': 'nosniff', 'x-served-by': servedBy };
}

/**
 * Headers that only mean something on a document: a policy that allows no
 * inline script, no framing, and no referrer or opener across sites.
 */
export const DOCUMENT_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
    "form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export function sendPage(reply: FastifyReply, page: string | Buffer, status = 200) {
  return reply
    .code(status)
    .headers(DOCUMENT_HEADERS)
    .type('text/html; charset=utf-8')
    .send(page);
}

export async function findPoll(services: Services, slug: string): Promise<Poll> {
  const poll = await services.polls.bySlug(slug);
  if (!poll)
    throw new AppError('poll_not_found', `there is no poll "${slug.slice(0, 40)}"`);
  return poll;
}

/** A link for people to copy: this server as the request reached it (see TRUST_PROXY). */
export function absoluteUrl(request: FastifyRequest, path: string): string {
  return `${request.protocol}://${request.host}${path}`;
}

/** Results as a file to save, named after the poll. */
export function sendDownload(
  reply: FastifyReply,
  poll: Poll,
  results: Results,
  format: 'csv' | 'json',
) {
  const name = `poll-${poll.slug}-results.${format}`;
  reply.header('content-disposition', `attachment; filename="${name}"`);
  if (format === 'csv')
    return reply.type('text/csv; charset=utf-8').send(resultsCsv(results));
  const body = JSON.stringify(resultsJson(poll, results), null, 2);
  return reply.type('application/json; charset=utf-8').send(body);
}

/** A script that asked for JSON (and not HTML) gets errors as JSON, as app.ts sends them. */
export function prefersJson(request: { headers: { accept?: string } }): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export type FormBody = Record<string, unknown>;

/** The fields of a form post; anything but a form is refused. */
export function formFields(request: FastifyRequest): FormBody {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new AppError('unsupported_media_type');
  }
  return (request.body ?? {}) as FormBody;
}

/** Every value a form gave for `name`, as texts. */
export function fieldValues(body: FormBody, name: string): string[] {
  return ([] as unknown[])
    .concat(body[name] ?? [])
    .filter((v): v is string => typeof v === 'string');
}

export function fieldValue(body: FormBody, name: string): string {
  return fieldValues(body, name)[0] ?? '';
}
