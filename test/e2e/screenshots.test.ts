import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  closeAll,
  launchBrowser,
  type Served,
  TIME_LIMIT,
  textOf,
  withoutChromium,
} from './support/browser.js';
import { PUBLIC_ADDRESS_HEADERS, serveTour, TOUR_PATHS } from './support/tour.js';

const OUT_DIR = new URL('../../docs/screenshots/', import.meta.url);

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

/** What each picture shows, and a text that proves the page is the right one. */
const SHOTS = [
  { name: 'home', path: TOUR_PATHS.home, proof: ['h1', /Linux distribution/] },
  { name: 'create', path: TOUR_PATHS.create, proof: ['h1', /^Create a poll$/] },
  { name: 'vote', path: TOUR_PATHS.vote, proof: ['h1', /team lunch/] },
  { name: 'results', path: TOUR_PATHS.results, proof: ['.total', /^11 voters in all$/] },
  {
    name: 'manage',
    path: `${TOUR_PATHS.manage}?created=1`,
    proof: ['.notice', /^Your poll is ready/],
  },
] as const;

describe('screenshots for the README tour', { skip: withoutChromium }, () => {
  let browser: Browser;
  let app: Served;
  const contexts = new Map<number, BrowserContext>();

  before(async () => {
    [browser, app] = await Promise.all([launchBrowser(), serveTour()]);
    await mkdir(OUT_DIR, { recursive: true });
    for (const viewport of WIDTHS) {
      const context = await browser.newContext({
        viewport,
        extraHTTPHeaders: PUBLIC_ADDRESS_HEADERS,
      });
      contexts.set(viewport.width, context);
    }
  }, TIME_LIMIT);
  after(() => closeAll([...contexts.values()], browser, app), TIME_LIMIT);

  for (const { width } of WIDTHS) {
    it(
      `draws the main pages ${width} pixels wide, none wider than the screen`,
      TIME_LIMIT,
      async () => {
        const page = await (contexts.get(width) as BrowserContext).newPage();
        try {
          for (const shot of SHOTS) {
            await page.goto(app.base + shot.path);
            await textOf(page.locator(shot.proof[0]), shot.proof[1]);
            const file = new URL(`${shot.name}-${width}.png`, OUT_DIR);
            await page.screenshot({
              path: fileURLToPath(file),
              fullPage: true,
              animations: 'disabled',
            });

            // A full-page shot grows with the page: wider means a sideways scroll.
            assert.equal(pngWidth(await readFile(file)), width, `${shot.name} overflows`);
          }
        } finally {
          await page.close();
        }
      },
    );
  }
});

/** The width in a PNG's header: the first chunk (IHDR) starts with it. */
function pngWidth(png: Buffer): number {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return png.readUInt32BE(16);
}
