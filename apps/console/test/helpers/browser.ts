import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './console-fixture.js';
import { shrinkPng } from './shrink-png.js';

/** Where the tests save a screenshot of each page (committed; the README links them). */
export const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

/** Debian's Chromium (`apt-get install chromium`); playwright-core downloads no browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Starts headless Debian Chromium with the flags of toolchain.md. Throws when it is not installed. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

/**
 * Takes the browser and the console's URL; returns a fresh page (own cookies) of a modest size. The server's
 * certificate is self-signed, hence ignoreHTTPSErrors; the clipboard is allowed for the Copy button.
 */
export async function openConsole(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 640 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

/**
 * Takes a page, a name and the height to keep (default the whole 640 px viewport); saves
 * `docs/screenshots/<name>.png` of the top of the page, in 256 colours (shrinkPng), so that the committed
 * set stays at a few hundred KB.
 */
export async function screenshot(page: Page, name: string, height = 640): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  const png = await page.screenshot({ clip: { x: 0, y: 0, width: 1024, height } });
  writeFileSync(join(SCREENSHOTS, `${name}.png`), shrinkPng(png));
}

/** Takes a logged-out page, a name and a password; logs in through the form and waits for the dashboard. */
export async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
