import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  chooseOption,
  createPollByForm,
  noticeText,
  type PollAddresses,
  sendVote,
} from './support/actions.js';
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

const QUESTION = 'Which editor do you write code in?';
const OPTIONS = ['Vim', 'Emacs', 'VS Code'];

describe('the pages with JavaScript turned off', { skip: withoutChromium }, () => {
  let browser: Browser;
  let app: Served;
  const contexts: BrowserContext[] = [];
  let poll: PollAddresses;
  let creator: Page;

  /** A person whose browser runs no script at all. */
  const person = async (): Promise<Page> => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    return context.newPage();
  };

  before(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serve(sqlite)]);
    creator = await person();
  }, TIME_LIMIT);
  after(() => closeAll(contexts, browser, app), TIME_LIMIT);

  it(
    'sends a refused form back filled in, with each error tied to its field',
    TIME_LIMIT,
    async () => {
      await creator.goto(`${app.base}/new`);
      await creator.getByLabel('Question', { exact: true }).fill('   ');
      await creator.getByLabel('Option 1', { exact: true }).fill('Same');
      await creator.getByLabel('Option 2', { exact: true }).fill('same');

      assert.equal(
        await follow(creator, creator.getByRole('button', { name: 'Create poll' })),
        400,
      );
      await textOf(creator.locator('.error-summary h2'), 'The poll could not be created');
      const errors = await creator.locator('.error-summary li').allTextContents();
      assert.deepEqual(errors, ['The question is empty', '"same" is given twice']);
      assert.equal(
        await creator.getByLabel('Option 2', { exact: true }).inputValue(),
        'same',
      );
      const question = creator.getByLabel('Question', { exact: true });
      assert.equal(await question.getAttribute('aria-invalid'), 'true');
    },
  );

  it('creates a poll through the form and shows its links', TIME_LIMIT, async () => {
    poll = await createPollByForm(creator, app.base, QUESTION, OPTIONS);

    assert.match(poll.shareUrl, /^http:\/\/127\.0\.0\.1:\d+\/p\/[A-Za-z0-9]{8}$/);
    const manageLink = creator.getByLabel('Management link, keep it private');
    assert.equal(await manageLink.inputValue(), poll.manageUrl);
    // The Copy buttons need a script: without one they stay hidden.
    const copy = creator.getByRole('button', { name: 'Copy', includeHidden: true });
    assert.equal(await copy.count(), 2);
    assert.deepEqual(
      await Promise.all([copy.nth(0).isVisible(), copy.nth(1).isVisible()]),
      [false, false],
    );
  });

  it(
    'takes votes from two voters and shows them on the results page',
    TIME_LIMIT,
    async () => {
      for (const label of ['VS Code', 'Vim']) {
        const voter = await person();
        await chooseOption(voter, `${poll.shareUrl}/vote`, label);
        assert.equal(await sendVote(voter), 200);
        await noticeText(voter, 'Thank you, your vote was counted.');
      }

      const reader = await person();
      await reader.goto(`${poll.shareUrl}/results`);
      await textOf(reader.locator('.total'), '2 voters in all');
      const figures = await reader.locator('li.result .figures').allTextContents();
      assert.deepEqual(figures, ['1 vote, 50%', '0 votes, 0%', '1 vote, 50%']);
      // live.js never ran: it would have added a status region.
      assert.equal(await reader.locator('[aria-live]').count(), 0);
    },
  );

  it(
    'closes the poll, refuses a vote with a message, reopens it and deletes it',
    TIME_LIMIT,
    async () => {
      const late = await person();
      await chooseOption(late, `${poll.shareUrl}/vote`, 'Emacs');

      await follow(creator, creator.getByRole('button', { name: 'Close voting now' }));
      await noticeText(creator, 'Voting is closed.');
      assert.equal(await sendVote(late), 409);
      await noticeText(late, 'This poll is closed and takes no more votes.');

      await follow(creator, creator.getByRole('button', { name: 'Reopen voting' }));
      await noticeText(creator, 'Voting is open again.');
      await chooseOption(late, `${poll.shareUrl}/vote`, 'Emacs');
      assert.equal(await sendVote(late), 200);

      await creator.getByLabel(/Yes, delete this poll/).check();
      assert.equal(
        await follow(creator, creator.getByRole('button', { name: 'Delete poll' })),
        200,
      );
      await textOf(creator.locator('h1'), 'Poll deleted');

      const response = await late.goto(poll.shareUrl);
      assert.equal(response?.status(), 404);
      await textOf(late.locator('h1'), 'Not found');
    },
  );
});
