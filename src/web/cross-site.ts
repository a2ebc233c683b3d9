import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Refuses a form post that a browser sent from another site. Browsers say
 * where a request comes from (Sec-Fetch-Site, Origin); scripts and old
 * clients send neither and are let through, as the original's plain
 * `vote=<id>` posts must be. The voter cookie is SameSite=Lax, which stops
 * most of this already; this also covers browsers that ignore SameSite.
 * See https://web.dev/articles/fetch-metadata.
 */
export async function refuseCrossSite(request: FastifyRequest): Promise<void> {
  if (request.method !== 'POST') return;
  const refusal = crossSiteRefusal(request.headers, request.host);
  if (refusal) throw refusal;
}

/**
 * Why a POST with these headers, to this host (as the request reached us),
 * is refused as cross-site; undefined when it is not. The hot-vote lane asks
 * the same question before it takes a vote.
 */
export function crossSiteRefusal(
  headers: IncomingHttpHeaders,
  host: string,
): AppError | undefined {
  if (headers['sec-fetch-site'] === 'cross-site') return new AppError('cross_site');
  const origin = headers.origin;
  if (origin !== undefined && hostOf(origin) !== host.toLowerCase()) {
    return new AppError(
      'cross_site',
      `form posts from ${origin.slice(0, 100)} are refused`,
    );
  }
  return undefined;
}

/** The host (with port) of an Origin header; `null` and garbage have none. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}
