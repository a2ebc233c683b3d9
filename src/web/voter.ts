import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const COOKIE = 'voter';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The voter's identity: a random id in a signed, HttpOnly cookie. A missing
 * or forged cookie gets a new id; the database's unique key, not the
 * cookie's presence, stops a second vote.
 */
export function voterId(request: FastifyRequest, reply: FastifyReply): string {
  const raw = request.cookies[COOKIE];
  if (raw) {
    const { valid, value } = request.unsignCookie(raw);
    if (valid && value && /^[\w-]{16,64}$/.test(value)) return value;
  }

  const id = randomBytes(16).toString('base64url');
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
