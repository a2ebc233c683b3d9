import { existsSync } from 'node:fs';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { type TestApp, testApp } from '../../helpers/app.js';
import type { TestDatabase } from '../../helpers/databases.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The reason to skip a browser suite, or false: CI installs Chromium (.ci/run). */
export const withoutChromium = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM}`;

/**
 * For every test and hook: a browser step that hangs (a lock, a stream that
 * never ends) fails the run instead of stalling it.
 */
export const TIME_LIMIT = { timeout: 60_000 };

export const sqlite: TestDatabase = { name: 'sqlite', url: 'sqlite::memory:' };

/**
 * Debian's Chromium, never a downloaded one. The flags keep it off the
 * network (only loopback is reachable here) and light on a shared machine.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Served extends TestApp {
  base: string;
}

/** The app on a real loopback port, votes not rate limited. */
export async function serve(
  target: TestDatabase,
  env: Record<string, string> = {},
): Promise<Served> {
  const t = await testApp(target, {
    RATE_LIMIT_VOTES_PER_MINUTE: '0',
    RATE_LIMIT_POLLS_PER_HOUR: '0',
    ...env,
  });
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...t, base };
}

/** Closes the people first, so that no stream is open when the server closes. */
export async function closeAll(
  contexts: BrowserContext[],
  browser: Browser | undefined,
  app: Served | undefined,
): Promise<void> {
  for (const context of contexts.splice(0)) await context.close();
  await browser?.close();
  await app?.close();
}

/**
 * Waits for an element whose whole text matches. Locators poll from
 * Playwright's own script, which the pages' CSP allows; waitForFunction
 * needs an eval the CSP rightly refuses.
 */
export async function textOf(
  locator: Locator,
  expected: string | RegExp,
  timeout = 5000,
): Promise<string> {
  const pattern = typeof expected === 'string' ? exactly(expected) : expected;
  const match = locator.filter({ hasText: pattern }).first();
  try {
    await match.waitFor({ timeout });
  } catch {
    const seen = await locator.allTextContents();
    throw new Error(`expected ${pattern} in ${JSON.stringify(seen)}`);
  }
  return ((await match.textContent()) ?? '').trim();
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Counts the main frame's navigations from now on, the first load excluded. */
export function countNavigations(page: Page): () => number {
  let count = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) count++;
  });
  return () => count;
}

/**
 * Clicks a control that submits a form or follows a link, and waits for the
 * page it leads to: its status (after any redirect) once its DOM is ready.
 */
export async function follow(
  page: Page,
  act: Locator | (() => Promise<void>),
): Promise<number> {
  const landed = page.waitForResponse((r) => {
    const request = r.request();
    const final = r.status() < 300 || r.status() >= 400;
    return request.isNavigationRequest() && request.frame() === page.mainFrame() && final;
  });
  const loaded = page.waitForEvent('domcontentloaded');
  await (typeof act === 'function' ? act() : act.click());
  const [response] = await Promise.all([landed, loaded]);
  return response.status();
}
