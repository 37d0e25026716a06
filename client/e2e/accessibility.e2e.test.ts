// Accessibility of the chat page, in real Chromium against a real server: contrast over the
// glass, axe's WCAG rules, announcements and keyboard use. Each e2e file has one describe block
// and its own browser (bun test killed a file-level browser at a describe boundary).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, openChat, send } from './browser.ts';
import { textContrast } from './contrast.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let server: RunningServer;
// The measuring tools inject a style sheet and axe's script into the page; the page's Content
// Security Policy (tested in chat.e2e.test.ts) would refuse both, so these pages bypass it.
const open = (target: RunningServer, path = '/', options = {}) => openChat(browser, `${target.url}${path}`, { bypassCSP: true, ...options });

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startTestServer({ KAFKA_TOPIC: uniqueTopic('a11y'), CLIENT_DIST })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

// Text that must reach WCAG AA (4.5:1) against what is rendered behind it.
const TEXTS = [
  '.title', '[data-testid="my-name"]', '.online', '.badge-text', '.rooms-title', '.room[aria-current="page"]',
  '.room:not([aria-current])', '.message[data-mine="false"] .author', '.message[data-mine="false"] time',
  '.message[data-mine="false"] .text', '.message[data-mine="true"] .text', '.message[data-mine="true"] time',
  '.message[data-mine="true"] .status', '.notice', '.counter',
];

describe('accessibility', () => {
  for (const colorScheme of ['dark', 'light'] as const) {
    it(`keeps text at WCAG AA contrast over the glass and backdrop in the ${colorScheme} theme`, async () => {
      const me = await open(server, '/#contrast-room', { colorScheme });
      const other = await open(server, '/#contrast-room', { colorScheme });
      await send(other.page, 'A message from someone else');
      await send(me.page, 'A message of mine');
      await me.page.locator('.message[data-mine="true"][data-state="delivered"]').waitFor();
      await me.page.locator('.message[data-mine="false"]').first().waitFor();
      // Presence goes out once a second; a visit that starts and ends in between is not
      // announced at all, so wait for the join before the other page leaves.
      await me.page.locator('.notice', { hasText: 'joined' }).first().waitFor();
      await other.context.close();
      const low: string[] = [];
      for (const selector of TEXTS) {
        const { ratio, color } = await textContrast(me.page.locator(selector).first());
        if (process.env.CONTRAST_REPORT) console.log(`contrast ${colorScheme} ${selector}: ${ratio.toFixed(2)}`);
        if (ratio < 4.5) low.push(`${selector} ${color}: ${ratio.toFixed(2)}`);
      }
      expect(low).toEqual([]);
    }, 30_000);

    it(`has no WCAG 2 A/AA violations found by axe in the ${colorScheme} theme`, async () => {
      const { page } = await open(server, '/#axe-room', { colorScheme });
      await send(page, `Checked by axe in the ${colorScheme} theme`);
      await page.locator('.message[data-state="delivered"]').first().waitFor();
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
      });
      expect(result).toEqual([]);
    });
  }

  it('announces messages from others politely and can be used with the keyboard alone', async () => {
    const a = await open(server, '/#keyboard-room');
    const b = await open(server, '/#keyboard-room');
    // Tab through the labelled controls until the composer has focus (bounded).
    const composerFocused = () => b.page.evaluate(() => document.activeElement?.getAttribute('placeholder')?.startsWith('Message') ?? false);
    for (let i = 0; i < 25 && !(await composerFocused()); i++) await b.page.keyboard.press('Tab');
    expect(await composerFocused()).toBe(true);
    await b.page.keyboard.type('typed without a mouse');
    await b.page.keyboard.press('Enter');
    await a.page.locator('.message', { hasText: 'typed without a mouse' }).waitFor();
    const live = a.page.locator('[aria-live="polite"][aria-atomic="true"]');
    expect(await live.innerText()).toContain('typed without a mouse');
  });
});
