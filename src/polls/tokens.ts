import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The largest multiple of 62 a byte can hold: bytes from here on are dropped. */
const UNBIASED_BELOW = 248;

/** A random share slug: 8 base62 characters are 47 bits, too many to guess. */
export function newSlug(length = 8): string {
  let slug = '';
  while (slug.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_BELOW && slug.length < length) slug += BASE62[byte % 62];
    }
  }
  return slug;
}

/** A management token: 128 random bits, shown once, stored only as a hash. */
export function newManageToken(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * SHA-256 without a salt is enough here: the token is 128 random bits, so
 * there is no dictionary to precompute and nothing to slow down.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares in constant time, so response timing tells nothing about the hash. */
export function tokenMatches(storedHash: string | null, token: string | undefined) {
  if (!storedHash || !token) return false;
  const given = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
