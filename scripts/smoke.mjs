#!/usr/bin/env node
// Smoke test of a running polling-app: liveness, readiness, then N votes cast
// as N new voters (no cookie) must raise the chosen option and the total by
// exactly N. Node 20+ built-ins only, so it runs anywhere the app can.
//   node scripts/smoke.mjs URL [--votes N] [--option ID] [--wait SECONDS]
// Exit code 0 when every check passes, 1 otherwise. Run it against a stack
// nobody else is voting on: other voters would change the counts.
import { parseArgs } from 'node:util';

const TIMEOUT_MS = 10_000;

class SmokeError extends Error {}

function usage() {
  return 'usage: node scripts/smoke.mjs URL [--votes N] [--option ID] [--wait SECONDS]';
}

function readArgs(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      votes: { type: 'string', default: '5' },
      option: { type: 'string' },
      wait: { type: 'string', default: '15' },
    },
  });
  const votes = Number(values.votes);
  const wait = Number(values.wait);
  if (positionals.length !== 1 || !Number.isInteger(votes) || votes < 1 || !(wait >= 0)) {
    throw new SmokeError(usage());
  }
  const option = values.option === undefined ? undefined : Number(values.option);
  return { base: new URL(positionals[0]), votes, option, waitMs: wait * 1000 };
}

async function call(base, path, init = {}) {
  const url = new URL(path, base);
  try {
    return await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new SmokeError(
      `${init.method ?? 'GET'} ${url} failed: ${err.cause?.code ?? err.message}`,
    );
  }
}

async function expectOk(base, path) {
  const res = await call(base, path);
  const body = await res.text();
  if (res.status !== 200) {
    throw new SmokeError(`GET ${path} answered ${res.status}: ${body.slice(0, 200)}`);
  }
  console.log(`smoke: ${path} 200`);
}

async function results(base) {
  const res = await call(base, '/api/v1/polls/default/results');
  if (res.status !== 200) throw new SmokeError(`GET results answered ${res.status}`);
  const body = await res.json();
  if (!Array.isArray(body.options) || typeof body.total !== 'number') {
    throw new SmokeError(
      `results have no options/total: ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
  return body;
}

function pickOption(before, wanted) {
  const option =
    wanted === undefined
      ? before.options[0]
      : before.options.find((o) => o.id === wanted);
  if (!option)
    throw new SmokeError(`option ${wanted ?? '(first)'} is not in the default poll`);
  return option;
}

async function vote(base, optionId) {
  const res = await call(base, '/vote.html', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ vote: String(optionId) }).toString(),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new SmokeError(`POST /vote.html answered ${res.status}`);
}

// Results may be cached for a moment, or served by another instance behind the
// load balancer, so the final count is polled until it matches or time runs out.
async function waitForCount(base, optionId, want, waitMs) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = await results(base);
    const votes = now.options.find((o) => o.id === optionId)?.votes;
    if (votes === want.votes && now.total === want.total) return now;
    if (votes > want.votes || now.total > want.total || Date.now() >= deadline) {
      throw new SmokeError(
        `option ${optionId} has ${votes} votes and total is ${now.total}; ` +
          `expected ${want.votes} and ${want.total}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(argv) {
  const { base, votes, option, waitMs } = readArgs(argv);
  await expectOk(base, '/health');
  await expectOk(base, '/ready');

  const before = await results(base);
  const chosen = pickOption(before, option);
  for (let i = 0; i < votes; i++) await vote(base, chosen.id);
  console.log(`smoke: cast ${votes} votes for option ${chosen.id} (${chosen.label})`);

  const want = { votes: chosen.votes + votes, total: before.total + votes };
  await waitForCount(base, chosen.id, want, waitMs);
  console.log(`smoke: ok, results counted all ${votes} votes at ${base.origin}`);
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  console.error(`smoke: FAILED: ${err instanceof SmokeError ? err.message : err.stack}`);
  process.exitCode = 1;
}
