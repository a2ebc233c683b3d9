/** How often HAProxy asks each instance's /ready, and how many answers change its mind. */
export const CHECK_INTERVAL_MS = 500;
export const CHECK_FALL = 2;
export const CHECK_RISE = 2;

/**
 * How long an instance keeps serving after SIGTERM with /ready failing. The
 * balancer needs up to CHECK_FALL intervals (plus the check in flight) to
 * take it out; one more interval of margin, and nothing is sent to a closed
 * port.
 */
export const DRAIN_MS = CHECK_INTERVAL_MS * (CHECK_FALL + 2);

export interface BalancerPlan {
  port: number;
  statsPort: number;
  servers: Array<{ name: string; port: number }>;
}

/**
 * The HAProxy configuration, one block per concern, each choice explained
 * where it is made. The reference is HAProxy 2.6's configuration manual
 * (/usr/share/doc/haproxy/configuration.txt.gz on Debian).
 */
export function haproxyConfig(plan: BalancerPlan): string {
  return [
    globalSection(),
    defaultsSection(),
    frontendSection(plan.port),
    backendSection('app', '/ready', plan.servers),
    backendSection('app_live', '/health', plan.servers),
    statsSection(plan.statsPort),
  ].join('\n');
}

function globalSection(): string {
  return lines(
    'global',
    // One thread: the machine has two cores and the app instances need them.
    'nbthread 1',
    'maxconn 4096',
    // A soft stop lets requests finish; live streams must not hold it forever.
    'hard-stop-after 5s',
  );
}

function defaultsSection(): string {
  return lines(
    'defaults',
    'mode http',
    // Loopback: a connection either opens at once or the instance is gone.
    'timeout connect 1s',
    // Above the live stream's 15 s heartbeat, so an idle stream is never cut;
    // above VOTE_RETRY_MS, so a vote waiting for the database gets its answer.
    'timeout client 30s',
    'timeout server 30s',
    'timeout http-request 10s',
    'timeout http-keep-alive 10s',
    'timeout queue 5s',
    // Above /ready's own 1 s database timeout, so a slow check reads as a 503.
    'timeout check 2s',
    // Only upgraded connections (none today) become tunnels; SSE stays HTTP.
    'timeout tunnel 1h',
    'option forwardfor',
    // A connection refused by a dead instance is retried on another one.
    'retries 3',
    'option redispatch 1',
    // L7 retries: see the frontend for which requests may be replayed.
    'retry-on conn-failure empty-response response-timeout',
    // Idle server connections are reused only for requests safe on a reused one.
    'http-reuse safe',
    // HAProxy's own 503 (no instance alive at all) tells clients when to retry.
    'http-error status 503 content-type "text/plain; charset=utf-8" ' +
      'string "no instance can take this request now, retry soon" hdr Retry-After 2',
  );
}

/**
 * L7 retries replay a request that an instance may have half-processed. A
 * GET is harmless to replay. A vote is safe only with a voter cookie: the
 * unique key on (poll, voter) makes the replay count once (answering 409,
 * "already voted", when the first attempt had landed). A vote without a
 * cookie would be a second, new voter, and other posts (creating, closing a
 * poll) are not idempotent: for those only connection failures are retried,
 * where nothing reached the instance.
 */
function frontendSection(port: number): string {
  return lines(
    'frontend web',
    `bind 127.0.0.1:${port}`,
    'acl vote_path path /vote.html',
    'acl vote_path path_reg ^/p/[A-Za-z0-9_-]+/vote$ ^/api/v1/polls/[A-Za-z0-9_-]+/votes$',
    'acl has_voter req.cook(voter) -m found',
    'http-request disable-l7-retry if !METH_GET !vote_path',
    'http-request disable-l7-retry if !METH_GET !has_voter',
    // When no instance is ready (the database is away for all of them), send
    // traffic to the live ones anyway: their votes wait for the database and
    // otherwise answer 503 with Retry-After, which beats HAProxy's bare 503.
    'use_backend app_live if { nbsrv(app) eq 0 }',
    'default_backend app',
  );
}

function backendSection(
  name: string,
  checkPath: string,
  servers: BalancerPlan['servers'],
): string {
  return lines(
    `backend ${name}`,
    'balance roundrobin',
    'option httpchk',
    `http-check send meth GET uri ${checkPath}`,
    'http-check expect status 200',
    // A refused connection marks the instance down at once, without waiting
    // for the checks: on loopback it means the process is gone.
    `default-server inter ${CHECK_INTERVAL_MS} fall ${CHECK_FALL} rise ${CHECK_RISE} ` +
      'observe layer4 error-limit 1 on-error mark-down',
    ...servers.map((s) => `server ${s.name} 127.0.0.1:${s.port} check`),
  );
}

function statsSection(port: number): string {
  return lines(
    'frontend stats',
    `bind 127.0.0.1:${port}`,
    'stats enable',
    'stats uri /stats',
    'stats refresh 2s',
  );
}

function lines(head: string, ...body: string[]): string {
  return `${head}\n${body.map((line) => `  ${line}\n`).join('')}`;
}
