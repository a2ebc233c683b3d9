import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { noticeText, sendVote } from './support/actions.js';
import {
  closeAll,
  follow,
  launchBrowser,
  type Served,
  serve,
  sqlite,
  TIME_LIMIT,
  textOf,
  withoutChromium,
} from './support/browser.js';

const QUESTION = 'Which Linux distribution do you use most?';
const THANKS = 'Thank you, your vote was counted.';

describe("the default poll at the original's addresses", {
  skip: withoutChromium,
}, () => {
  let browser: Browser;
  let app: Served;
  const contexts: BrowserContext[] = [];

  const person = async (javaScriptEnabled: boolean): Promise<Page> => {
    const context = await browser.newContext({ javaScriptEnabled });
    contexts.push(context);
    return context.newPage();
  };

  /** Ballots cast in the default poll, as the JSON API counts them. */
  const ballots = async (): Promise<number> => {
    const response = await fetch(`${app.base}/api/v1/polls/default/results`);
    return ((await response.json()) as { ballots: number }).ballots;
  };

  before(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serve(sqlite)]);
  }, TIME_LIMIT);
  after(() => closeAll(contexts, browser, app), TIME_LIMIT);

  for (const scripts of [true, false]) {
    it(
      `votes from / through /vote.html, then refuses a second vote (scripts ${scripts ? 'on' : 'off'})`,
      TIME_LIMIT,
      async () => {
        const page = await person(scripts);
        const before = await ballots();
        await page.goto(`${app.base}/`);
        await textOf(page.locator('h1'), QUESTION);

        await follow(page, page.getByRole('link', { name: 'Vote', exact: true }));
        assert.equal(new URL(page.url()).pathname, '/vote.html');
        await page.getByLabel('Debian', { exact: true }).check();
        assert.equal(await sendVote(page), 200);
        await noticeText(page, THANKS);
        assert.equal(await ballots(), before + 1);

        await page.goto(`${app.base}/results.html`);
        await textOf(page.locator('.total'), votersInAll(before + 1));
        const debian = page.locator('li.result', { hasText: 'Debian' });
        await textOf(debian.locator('.figures'), /^[1-9]\d* votes?, \d+(\.\d)?%$/);

        await page.goto(`${app.base}/vote.html`);
        await page.getByLabel('Arch', { exact: true }).check();
        assert.equal(await sendVote(page), 409);
        await noticeText(page, 'You have already voted in this poll.');
        assert.equal(await ballots(), before + 1);
      },
    );
  }

  it(
    'takes a vote from the keyboard alone: Tab, Space and Enter',
    TIME_LIMIT,
    async () => {
      const page = await person(true);
      const before = await ballots();
      await page.goto(`${app.base}/vote.html`);
      const focused = page.locator(':focus');

      await page.keyboard.press('Tab');
      await textOf(focused, 'Skip to content');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      assert.equal(await focused.getAttribute('type'), 'radio');
      await page.keyboard.press('Space');
      assert.equal(await page.getByLabel('Mint', { exact: true }).isChecked(), true);
      await page.keyboard.press('Tab');
      await textOf(focused, 'Vote');

      assert.equal(await follow(page, () => page.keyboard.press('Enter')), 200);
      await noticeText(page, THANKS);
      assert.equal(await ballots(), before + 1);
    },
  );
});

const votersInAll = (n: number) => `${n} ${n === 1 ? 'voter' : 'voters'} in all`;
