import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../polls/visibility.js';

const COOKIE = 'voter';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The voter's identity: a random id in a signed, HttpOnly cookie. A missing
 * or forged cookie gets a new id; the database's unique key, not the
 * cookie's presence, stops a second vote.
 */
export function voterId(request: FastifyRequest, reply: FastifyReply): string {
  const known = knownVoterId(request);
  if (known) return known;

  // randomUUID draws from a pooled buffer; randomBytes asks the OS each
  // call, which showed in the vote path's profile. 122 random bits either way.
  const id = randomUUID().replaceAll('-', '');
  reply.setCookie(COOKIE, id, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: ONE_YEAR_SECONDS,
  });
  return id;
}

/** The voter's id when the request carries a valid cookie; reading never sets one. */
export function knownVoterId(request: FastifyRequest): string | undefined {
  const raw = request.cookies[COOKIE];
  if (!raw) return undefined;
  const { valid, value } = request.unsignCookie(raw);
  return valid && value && /^[\w-]{16,64}$/.test(value) ? value : undefined;
}

/**
 * Who asks, for the results' visibility. The cookie's signature is checked
 * only if the poll's visibility needs it, not on every read.
 */
export function viewerOf(
  request: FastifyRequest,
  known: Omit<Viewer, 'voterId'> = {},
): Viewer {
  return {
    ...known,
    get voterId() {
      return knownVoterId(request);
    },
  };
}
