import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  closeAll,
  follow,
  launchBrowser,
  type Served,
  TIME_LIMIT,
  textOf,
  withoutChromium,
} from './support/browser.js';
import { serveTour, TOUR_PATHS } from './support/tour.js';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs in the page: axe's violations, cut down to what a report needs. */
const RUN_AXE = `axe.run(document, { resultTypes: ['violations'] }).then((r) =>
  r.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  })))`;

const BLOCKING = new Set(['serious', 'critical']);

/** The pages to check, each reached the way a person would reach it. */
const PAGES: Record<string, (page: Page, base: string) => Promise<unknown>> = {
  home: (page, base) => page.goto(base + TOUR_PATHS.home),
  create: (page, base) => page.goto(base + TOUR_PATHS.create),
  'create with errors': showCreateErrors,
  intro: (page, base) => page.goto(base + TOUR_PATHS.intro),
  vote: (page, base) => page.goto(base + TOUR_PATHS.vote),
  results: (page, base) => page.goto(base + TOUR_PATHS.results),
  'results after a vote': voteThenShowResults,
  manage: (page, base) => page.goto(`${base + TOUR_PATHS.manage}?created=1`),
  'a message (not found)': (page, base) => page.goto(`${base}/p/no-such-poll`),
};

describe('accessibility of the main pages (axe-core)', { skip: withoutChromium }, () => {
  let browser: Browser;
  let app: Served;
  const contexts: BrowserContext[] = [];
  let page: Page;

  before(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveTour()]);
    // The pages allow scripts from 'self' only; axe is injected from outside.
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    page = await context.newPage();
  }, TIME_LIMIT);
  after(() => closeAll(contexts, browser, app), TIME_LIMIT);

  for (const [name, open] of Object.entries(PAGES)) {
    it(`finds nothing serious or critical on ${name}`, TIME_LIMIT, async (t) => {
      await open(page, app.base);
      await page.addScriptTag({ path: AXE_SCRIPT });
      const violations = (await page.evaluate(RUN_AXE)) as Violation[];

      // Moderate and minor findings are listed in the output, not failed.
      for (const v of violations) {
        t.diagnostic(`${v.impact}: ${v.id} (${v.help}) at ${v.targets.join(', ')}`);
      }
      const blocking = violations.filter((v) => BLOCKING.has(String(v.impact)));
      assert.deepEqual(blocking, []);
    });
  }
});

async function showCreateErrors(page: Page, base: string) {
  await page.goto(base + TOUR_PATHS.create);
  await page.getByLabel('Question', { exact: true }).fill(' ');
  await page.getByLabel('Option 1', { exact: true }).fill('Yes');
  await page.getByLabel('Option 2', { exact: true }).fill('yes');
  assert.equal(
    await follow(page, page.getByRole('button', { name: 'Create poll' })),
    400,
  );
  await textOf(page.locator('.error-summary h2'), 'The poll could not be created');
}

async function voteThenShowResults(page: Page, base: string) {
  await page.goto(base + TOUR_PATHS.vote);
  await page.getByLabel('Sushi bar', { exact: true }).check();
  assert.equal(await follow(page, page.getByRole('button', { name: 'Vote' })), 200);
}
