import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { insertPoll } from '../src/polls/repository.js';
import { type TestApp, testApp } from './helpers/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs in the page before its scripts: records every CSP refusal. */
const RECORD_VIOLATIONS = `
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.violations.push(e.violatedDirective + ' ' + e.blockedURI));
`;

/** Polls from here: the page's CSP rightly refuses the eval that waitForFunction needs. */
async function waitForText(locator: Locator, test: (text: string) => boolean) {
  const deadline = Date.now() + 3000;
  for (;;) {
    const text = (await locator.textContent()) ?? '';
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`text stayed "${text}"`);
    await sleep(25);
  }
}

describe('the results page in a real browser', { skip: !existsSync(CHROMIUM) }, () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  before(async () => {
    t = await testApp({ name: 'sqlite', url: 'sqlite::memory:' });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const openPage = async (path: string): Promise<Page> => {
    const page = await browser.newPage();
    // Record every CSP refusal: the page must work with scripts from 'self' only.
    await page.addInitScript(RECORD_VIOLATIONS);
    await page.goto(new URL(path, base).href);
    return page;
  };

  const vote = async (option: number) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/polls/default/votes',
      payload: { choices: [option] },
    });
    assert.equal(response.statusCode, 201);
  };

  it('updates the figures, bars, chart and total in place as votes arrive', async () => {
    const page = await openPage('/results.html');
    try {
      await page.evaluate("window.marker = 'same page'");
      await page.locator('[role="status"][aria-live]').waitFor({ state: 'attached' });
      await vote(4);
      await vote(4);
      await vote(1);

      await waitForText(page.locator('.total'), (text) => text === '3 voters in all');
      const row = page.locator('li.result').nth(3);
      assert.equal(await row.locator('.figures').textContent(), '2 votes, 67%');
      assert.equal(Number(await row.locator('progress').getAttribute('value')), 66.67);
      assert.equal(await page.locator('.donut-total').textContent(), '3');
      assert.equal(await page.locator('svg.donut .slice').count(), 2);
      assert.equal(await page.evaluate('window.marker'), 'same page');
      assert.deepEqual(await page.evaluate('window.violations'), []);
    } finally {
      await page.close();
    }
  });

  it('tells screen readers politely, without announcing every change', async () => {
    const page = await openPage('/results.html');
    try {
      const region = page.locator('[role="status"][aria-live="polite"]');
      await region.waitFor({ state: 'attached' });
      await vote(2);
      const first = await waitForText(region, (text) => text !== '');
      assert.match(String(first), /^Results updated\. 4 voters in all\./);

      await vote(2);
      await waitForText(page.locator('.total'), (text) => text === '5 voters in all');
      assert.equal(await region.textContent(), first, 'a second change soon after waits');
    } finally {
      await page.close();
    }
  });

  it('opens no stream for a poll that is closed', async () => {
    await insertPoll(t.services.db, {
      slug: 'closed-page',
      title: 'Closed',
      question: 'Closed?',
      kind: 'single',
      maxChoices: 1,
      resultsVisibility: 'always',
      isPublic: false,
      closesAt: Date.now() - 1000,
      manageTokenHash: null,
      options: ['Yes', 'No'],
    });
    const page = await openPage('/p/closed-page/results');
    try {
      assert.equal(await page.locator('[data-live-results]').count(), 0);
      await page.waitForTimeout(300);
      assert.equal(t.services.live.subscribers, 0);
    } finally {
      await page.close();
    }
  });
});
