import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { databases } from '../helpers/databases.js';
import {
  chooseOption,
  createPollByForm,
  noticeText,
  sendVote,
} from './support/actions.js';
import {
  countNavigations,
  follow,
  launchBrowser,
  type Served,
  serve,
  TIME_LIMIT,
  textOf,
  withoutChromium,
} from './support/browser.js';

const QUESTION = 'Which day suits the sprint demo?';
const OPTIONS = ['Tuesday', 'Thursday', 'Friday'];
const CLOSED = 'This poll is closed and takes no more votes.';

describe('a poll from creation to closing, with scripts', {
  skip: withoutChromium,
}, () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A browser context is a person: its own cookies, so its own voter id. */
  const person = async (): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  };

  before(async () => {
    browser = await launchBrowser();
  }, TIME_LIMIT);
  after(() => browser?.close(), TIME_LIMIT);

  // A browser costs seconds a database: SQLite, the default, and MariaDB, as
  // the Azure deployment's MySQL. The pages read every database alike.
  for (const target of databases.filter((d) => d.name !== 'postgres')) {
    describe(`on ${target.name}`, () => {
      let app: Served;

      before(async () => {
        app = await serve(target);
      }, TIME_LIMIT);
      after(async () => {
        // The people leave before the server closes: no stream is left open.
        for (const context of contexts.splice(0)) await context.close();
        await app?.close();
      }, TIME_LIMIT);

      it(
        'shows two voters live on an open results page, then refuses a vote once closed',
        TIME_LIMIT,
        async () => {
          const creator = await person();
          const poll = await createPollByForm(creator, app.base, QUESTION, OPTIONS);
          assert.ok(poll.shareUrl.startsWith(`${app.base}/p/`), poll.shareUrl);

          const watcher = await person();
          await watcher.goto(`${poll.shareUrl}/results`);
          await textOf(watcher.locator('.total'), '0 voters in all');
          const navigations = countNavigations(watcher);
          await watcher.evaluate("window.e2eMarker = 'never reloaded'");

          const late = await person();
          await chooseOption(late, `${poll.shareUrl}/vote`, 'Friday');

          await voteFromIntro(await person(), poll.shareUrl, 'Tuesday');
          await textOf(watcher.locator('.total'), '1 voter in all');
          await voteFromIntro(await person(), poll.shareUrl, 'Thursday');
          await textOf(watcher.locator('.total'), '2 voters in all');
          const figures = await watcher.locator('li.result .figures').allTextContents();
          assert.deepEqual(figures, ['1 vote, 50%', '1 vote, 50%', '0 votes, 0%']);
          assert.equal(await watcher.locator('.donut-total').textContent(), '2');

          await follow(
            creator,
            creator.getByRole('button', { name: 'Close voting now' }),
          );
          await noticeText(creator, 'Voting is closed.');
          await textOf(creator.locator('.badge'), 'Closed');
          const region = watcher.locator('[role="status"][aria-live="polite"]');
          await textOf(region, /^The poll has closed\. 2 voters in all\./);
          assert.equal(await watcher.evaluate('window.e2eMarker'), 'never reloaded');
          assert.equal(navigations(), 0);

          assert.equal(await sendVote(late), 409);
          await noticeText(late, CLOSED);
          await textOf(late.locator('.total'), '2 voters in all');
          await late.goto(`${poll.shareUrl}/vote`);
          await textOf(late.locator('main p'), CLOSED);
          assert.equal(await late.locator('input[name="vote"]').count(), 0);
        },
      );
    });
  }
});

/** From the shared link: the intro page, its Vote button, one option, Vote. */
async function voteFromIntro(page: Page, shareUrl: string, label: string) {
  await page.goto(shareUrl);
  await follow(page, page.getByRole('link', { name: 'Vote', exact: true }));
  await page.getByLabel(label, { exact: true }).check();
  assert.equal(await sendVote(page), 200);
  await noticeText(page, 'Thank you, your vote was counted.');
}
