// Browser-test support: Debian's Chromium driven by playwright-core, pages that wait for the
// chat to be connected, and screenshots in the git-ignored test-results/screenshots.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;
export const CLIENT_DIST = new URL('../dist', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Closing the browser closes every context it opened, so tests need not track pages. */
export async function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface ChatPage {
  context: BrowserContext;
  page: Page;
  /** Script dialogs (alert/confirm) the page opened: must stay empty. */
  dialogs: string[];
  errors: string[];
  /** What the browser refused under the Content Security Policy: must stay empty. */
  cspViolations: string[];
}

export async function openChat(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<ChatPage> {
  const context = await browser.newContext({ colorScheme: 'dark', reducedMotion: 'reduce', ...options });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) cspViolations.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('.badge[data-status="connected"]', { timeout: 15_000 });
  return { context, page, dialogs, errors, cspViolations };
}

export async function myName(page: Page): Promise<string> {
  return (await page.locator('[data-testid="my-name"]').innerText()).replace(/^You are\s*/, '').trim();
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: /Message/ }).fill(text);
  await page.keyboard.press('Enter');
}

/** The texts of stored messages shown, in order. */
export async function shownTexts(page: Page): Promise<string[]> {
  return page.locator('.message-list .message[data-state="delivered"] .text').allInnerTexts();
}
