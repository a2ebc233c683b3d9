import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Answer, client, outcomeOf, type Send } from './http.js';

export interface LoadOptions {
  /** Voters voting at once, each on its own connection. */
  clients: number;
  /** Pause between one voter's end and the next one's start, per client. */
  pauseMs: number;
  /** Tries per request, the first included, before the client gives up. */
  maxAttempts: number;
}

export interface RequestLog {
  what: 'identity' | 'vote';
  startedAt: number;
  endedAt: number;
  outcome: string;
  attempt: number;
}

export type VoteResult = 'counted' | 'counted-earlier' | 'refused' | 'gave-up';

export interface Vote {
  voterId: string;
  choice: number;
  via: 'form' | 'api';
  attempts: number;
  result: VoteResult;
  /** For 'counted-earlier' on the first try: the balancer had replayed it. */
  detail?: string;
}

const OPTIONS = 10;
const MAX_WAIT_MS = 2_000;

/**
 * Steady voting through the balancer. Each client is a stream of voters:
 * a voter gets its signed `voter` cookie from GET /vote.html, then votes by
 * form or by the JSON API, and retries a failed vote with the same cookie,
 * honouring Retry-After, as a careful real client would. Every request and
 * every vote is recorded for the figures and the audit.
 */
export class VoteLoad {
  readonly requests: RequestLog[] = [];
  readonly votes: Vote[] = [];
  readonly #base: string;
  readonly #options: LoadOptions;
  readonly #http: ReturnType<typeof client>;
  #stopping = false;
  #clients: Promise<void>[] = [];

  constructor(base: string, options: Partial<LoadOptions> = {}) {
    this.#base = base;
    this.#options = { clients: 6, pauseMs: 20, maxAttempts: 8, ...options };
    this.#http = client(this.#options.clients);
  }

  start(): void {
    for (let i = 0; i < this.#options.clients; i++) this.#clients.push(this.#run());
  }

  /** Lets every voter in progress finish (retries included), then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#clients);
    this.#http.close();
  }

  get counted(): number {
    return this.votes.filter((v) => v.result === 'counted').length;
  }

  async #run() {
    while (!this.#stopping) {
      const cookie = await this.#identity();
      if (cookie) await this.#vote(cookie);
      await sleep(this.#options.pauseMs);
    }
  }

  async #identity(): Promise<string | undefined> {
    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      const answer = await this.#send('identity', attempt, '/vote.html');
      const cookie = voterCookie(answer);
      if (cookie) return cookie;
      await backoff(answer, attempt);
    }
    return undefined;
  }

  async #vote(cookie: string) {
    const vote: Vote = {
      voterId: voterIdOf(cookie),
      choice: randomInt(1, OPTIONS + 1),
      via: randomInt(2) === 0 ? 'form' : 'api',
      attempts: 0,
      result: 'gave-up',
    };
    this.votes.push(vote);
    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      vote.attempts = attempt;
      const answer = await this.#send('vote', attempt, ...voteRequest(vote, cookie));
      const result = resultOf(answer);
      if (result) {
        vote.result = result;
        if (result === 'counted-earlier' && attempt === 1)
          vote.detail = 'balancer replay';
        if (result === 'refused')
          vote.detail = `${answer.status} ${answer.body.slice(0, 200)}`;
        return;
      }
      await backoff(answer, attempt);
    }
  }

  async #send(
    what: RequestLog['what'],
    attempt: number,
    path: string,
    options: Send = {},
  ): Promise<Answer> {
    const startedAt = Date.now();
    const answer = await this.#http.send(`${this.#base}${path}`, options);
    const outcome = outcomeOf(answer);
    this.requests.push({ what, startedAt, endedAt: Date.now(), outcome, attempt });
    return answer;
  }
}

function voteRequest(vote: Vote, cookie: string): [string, Send] {
  const headers = { cookie: `voter=${cookie}` };
  if (vote.via === 'form') {
    return [
      '/vote.html',
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: `vote=${vote.choice}`,
      },
    ];
  }
  return [
    '/api/v1/polls/default/votes',
    {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ choices: [vote.choice] }),
    },
  ];
}

/**
 * 409 means this voter's ballot is already in: an earlier try of ours
 * landed though its answer was lost. Any other 4xx is a refusal to report;
 * 5xx and network errors are worth another try.
 */
function resultOf(answer: Answer): VoteResult | undefined {
  if (answer.status >= 200 && answer.status < 300) return 'counted';
  if (answer.status === 409) return 'counted-earlier';
  if (answer.status >= 400 && answer.status < 500) return 'refused';
  return undefined;
}

/** Waits as told by Retry-After (capped, the test is short), else a growing pause. */
async function backoff(answer: Answer, attempt: number) {
  const hint = Number(answer.headers['retry-after']);
  const ms = Number.isFinite(hint) && hint > 0 ? hint * 1000 : 150 * attempt;
  await sleep(Math.min(ms, MAX_WAIT_MS));
}

function voterCookie(answer: Answer): string | undefined {
  if (answer.status !== 200) return undefined;
  const cookies = answer.headers['set-cookie'] ?? [];
  for (const cookie of cookies) {
    const match = /^voter=([^;]+)/.exec(cookie);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** The voter id inside the signed cookie value "<id>.<signature>". */
function voterIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie);
  return value.slice(0, value.lastIndexOf('.'));
}
