import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';

/** Answers when the database runs a trivial query within `timeoutMs`. */
export async function ping(
  // biome-ignore lint/suspicious/noExplicitAny: works on any schema
  db: Kysely<any>,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for the database with exponential backoff (0.25 s doubling to 5 s),
 * logging each retry, and gives up after `deadlineSeconds`.
 */
export async function waitForDatabase(
  // biome-ignore lint/suspicious/noExplicitAny: works on any schema
  db: Kysely<any>,
  log: Logger,
  deadlineSeconds: number,
): Promise<void> {
  const giveUpAt = Date.now() + deadlineSeconds * 1000;
  for (let attempt = 1, delay = 250; ; attempt++, delay = Math.min(delay * 2, 5_000)) {
    try {
      await ping(db, 5_000);
      return;
    } catch (err) {
      if (Date.now() + delay > giveUpAt) throw err;
      log.warn({ err, attempt, retryInMs: delay }, 'database not reachable yet');
      await sleep(delay);
    }
  }
}
