import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { follow, textOf } from './browser.js';

export interface PollAddresses {
  /** The management page, without its query. */
  manageUrl: string;
  /** The voters' link, as the management page shows it. */
  shareUrl: string;
}

/** Fills in /new as a person would and lands on the new poll's management page. */
export async function createPollByForm(
  page: Page,
  base: string,
  question: string,
  options: string[],
): Promise<PollAddresses> {
  await page.goto(`${base}/new`);
  await page.getByLabel('Question', { exact: true }).fill(question);
  for (const [i, label] of options.entries()) {
    await page.getByLabel(`Option ${i + 1}`, { exact: true }).fill(label);
  }

  const status = await follow(page, page.getByRole('button', { name: 'Create poll' }));
  assert.equal(status, 200);
  assert.match(page.url(), /\/m\/[\w-]+\/[\w-]+\?created=1$/);
  await textOf(page.locator('.notice'), /^Your poll is ready\./);
  const shareUrl = await page.getByLabel('Share link, for voters').inputValue();
  return { manageUrl: page.url().replace(/\?.*$/, ''), shareUrl };
}

/** Opens a vote page and ticks one option, leaving the form unsent. */
export async function chooseOption(page: Page, voteUrl: string, label: string) {
  await page.goto(voteUrl);
  await page.getByLabel(label, { exact: true }).check();
}

/** Sends the vote form now shown; answers the status of the page it leads to. */
export function sendVote(page: Page): Promise<number> {
  return follow(page, page.getByRole('button', { name: 'Vote', exact: true }));
}

/** The one-line notice at the top of a page (thanks, refusals). */
export function noticeText(page: Page, expected: string | RegExp): Promise<string> {
  return textOf(page.locator('p.notice'), expected);
}
