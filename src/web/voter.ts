import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { parse, serialize } from 'cookie';
import { sign, unsign } from 'cookie-signature';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../polls/visibility.js';

const COOKIE = 'voter';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;
const VOTER_ID = /^[\w-]{16,64}$/;

/**
 * The voter's identity: an id (its issue time, then random bits) in a
 * signed, HttpOnly cookie. A missing or forged cookie gets a new id; the
 * database's unique key, not the cookie's presence, stops a second vote.
 *
 * The cookie header is read only by the routes that ask, not by a hook on
 * every request: most requests (results, assets, health) never look at it.
 */
export class VoterCookie {
  readonly #secret: KeyObject;
  /** The attributes after `voter=<value>`, by whether the request came over https. */
  readonly #attributes: Record<'http' | 'https', string>;

  constructor(secret: string) {
    // Imported once: a string key is imported again by every createHmac,
    // and a vote signs a new voter's id on every request.
    this.#secret = createSecretKey(Buffer.from(secret));
    // Serialised once: they never change, and serialising them per vote
    // showed in the vote path's profile.
    this.#attributes = { http: attributes(false), https: attributes(true) };
  }

  /** The request's voter id, or a new one set in a cookie on the reply. */
  id(request: FastifyRequest, reply: FastifyReply): string {
    const voter = this.resolve(request.headers.cookie, request.protocol === 'https');
    if (voter.setCookie) reply.header('set-cookie', voter.setCookie);
    return voter.id;
  }

  /**
   * The voter id in a Cookie header when its signature holds; otherwise a new
   * id and the Set-Cookie header that hands it out. Both request paths (the
   * vote route and the hot-vote lane) take their voter from here.
   */
  resolve(
    header: string | undefined,
    secure: boolean,
  ): { id: string; setCookie?: string } {
    const known = this.#fromHeader(header);
    if (known) return { id: known };
    const id = newVoterId();
    const value = encodeURIComponent(sign(id, this.#secret));
    const attributes = this.#attributes[secure ? 'https' : 'http'];
    return { id, setCookie: `${COOKIE}=${value}${attributes}` };
  }

  /** The voter's id when the request carries a valid cookie; reading never sets one. */
  known(request: FastifyRequest): string | undefined {
    return this.#fromHeader(request.headers.cookie);
  }

  #fromHeader(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const raw = parse(header)[COOKIE];
    if (!raw) return undefined;
    const value = unsign(raw, this.#secret);
    return value && VOTER_ID.test(value) ? value : undefined;
  }

  /**
   * Who asks, for the results' visibility. The cookie's signature is checked
   * only if the poll's visibility needs it, not on every read.
   */
  viewer(request: FastifyRequest, known: Omit<Viewer, 'voterId'> = {}): Viewer {
    const cookies = this;
    return {
      ...known,
      get voterId() {
        return cookies.known(request);
      },
    };
  }
}

/**
 * 32 hex digits: the time in milliseconds (12), then 20 digits of a
 * randomUUID (74 random bits). Time first, so a new voter's ballot goes at
 * the end of the (poll_id, voter_id) index instead of on a random page of
 * it: a batch of random ids dirtied a page per ballot, and SQLite's commit
 * wrote every one of them to the WAL. The cookie's signature, not the id's
 * randomness, is what stops a forger. randomUUID draws from a pooled buffer;
 * the `uuid` package's v7 fills a new one per call (1.58 against 0.23 µs).
 */
function newVoterId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  return time + randomUUID().replaceAll('-', '').slice(0, 20);
}

/** `; Max-Age=…; Path=/; HttpOnly; SameSite=Lax` (and `; Secure`), as `cookie` writes them. */
function attributes(secure: boolean): string {
  const sample = serialize(COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: ONE_YEAR_SECONDS,
  });
  return sample.slice(`${COOKIE}=`.length);
}
