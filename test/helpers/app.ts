import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import {
  closeServices,
  openServices,
  prepareDatabase,
  type Services,
} from '../../src/services.js';
import { emptyDatabase, type TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  config: Config;
  close: () => Promise<void>;
}

export const silentLog = pino({ level: 'silent' });

/**
 * Builds the app as the server does, on a database emptied first (unless
 * `keepData`). SQLite in memory lives in one connection, so there the
 * preparation runs on the app's own database handle.
 */
export async function testApp(
  target: TestDatabase,
  env: Record<string, string> = {},
  { keepData = false } = {},
): Promise<TestApp> {
  if (!keepData) await emptyDatabase(target.url);
  const config = loadConfig({
    DATABASE_URL: target.url,
    LOG_LEVEL: 'silent',
    SERVED_BY: 'test-host',
    ...env,
  });
  if (target.name !== 'sqlite') await prepareDatabase(config, silentLog);
  const services = await openServices(config, silentLog, {
    prepare: target.name === 'sqlite',
  });
  const app = await buildApp(services, silentLog);
  await app.ready();
  return {
    app,
    services,
    config,
    close: async () => {
      await app.close();
      await closeServices(services);
    },
  };
}

/** Reads the stored truth straight from the tables: ballots and counter sums. */
export async function storedCounts(source: Services | TestApp, pollId: number) {
  const services = 'services' in source ? source.services : source;
  const ballots = await services.db
    .selectFrom('ballots')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('poll_id', '=', pollId)
    .executeTakeFirstOrThrow();
  const options = await services.db
    .selectFrom('options')
    .select(['id', 'votes'])
    .where('poll_id', '=', pollId)
    .orderBy('id')
    .execute();
  return {
    ballots: Number(ballots.n),
    votes: options.map((o) => Number(o.votes)),
    total: options.reduce((sum, o) => sum + Number(o.votes), 0),
  };
}

/** The `name=value` of the first cookie a response sets, to send back. */
export function cookieOf(response: { headers: Record<string, unknown> }): string {
  return String(response.headers['set-cookie'] ?? '').split(';')[0] ?? '';
}

export async function pollCount(t: TestApp): Promise<number> {
  const row = await t.services.db
    .selectFrom('polls')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface CreatedPoll {
  slug: string;
  token: string;
  id: number;
  body: Record<string, unknown> & { links: { share: string; manage: string } };
}

/** Creates a poll through the API and asserts it was created. */
export async function createPoll(
  t: TestApp,
  body: Record<string, unknown>,
): Promise<CreatedPoll> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/polls',
    payload: body,
  });
  assert.equal(response.statusCode, 201, response.body);
  const created = response.json();
  const poll = await t.services.polls.bySlug(created.poll.slug);
  assert.ok(poll);
  return {
    slug: created.poll.slug,
    token: created.manageToken,
    id: poll.id,
    body: created,
  };
}

/** Moves a poll's closing time into the past, as if time had passed. */
export async function expirePoll(t: TestApp, poll: { slug: string; id: number }) {
  await t.services.db
    .updateTable('polls')
    .set({ closes_at: Date.now() - 1000 })
    .where('id', '=', poll.id)
    .execute();
  t.services.polls.forget(poll.slug, poll.id);
}
