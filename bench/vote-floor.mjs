/**
 * The vote floor: what node:http alone costs for the HTTP half of a form
 * vote. It reads a small urlencoded body and answers with the headers and
 * the number of bytes the app answers a form vote with, and does nothing
 * else: no voter id to sign, no database, no page to render. Bare node:http
 * answering `ok` is the ceiling; the app's votes over this floor say
 * how much of the distance to that ceiling is the app's own work, and how
 * much is a vote's bigger request and answer.
 *
 * Run as its own process, like the app and the bare server. Plain
 * JavaScript, for the same reason as bare-server.mjs.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';

/** About the app's answer to a form vote on the seeded ten-option poll. */
const ANSWER_BYTES = 4800;

/**
 * The app's headers on a counted form vote (date, connection and
 * keep-alive are node:http's own), with values of the same length.
 * test/bench-floor.test.ts holds both to the app's answer.
 */
const ANSWER_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-served-by': 'bench-host',
  'x-ratelimit-limit': '10000000',
  'x-ratelimit-remaining': '9999999',
  'x-ratelimit-reset': '60',
  'set-cookie':
    `voter=${'0'.repeat(32)}.${'A'.repeat(43)}; ` +
    'Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
    "form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'content-type': 'text/html; charset=utf-8',
};

const BODY = Buffer.alloc(ANSWER_BYTES, 'x');

/**
 * For ablations, not for the bench: `FLOOR_WORK=hmac` or `sha256` adds one
 * such digest of the form to every answer, computed and thrown away, to
 * measure what that much crypto costs inside a busy server.
 */
const WORK = {
  hmac: (form) => createHmac('sha256', 'k'.repeat(43)).update(form).digest('base64url'),
  sha256: (form) => createHash('sha256').update(form).digest('base64url'),
}[process.env.FLOOR_WORK ?? ''];

function answer(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    // Read as the app reads it, though nothing here depends on it.
    const form = Buffer.concat(chunks).toString();
    WORK?.(form);
    res.writeHead(200, { ...ANSWER_HEADERS, 'content-length': String(BODY.length) });
    res.end(BODY);
  });
}

const server = createServer(answer);
server.listen(Number(process.env.HTTP_PORT ?? 8091), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
