// The composer, failure states and accessibility, in real Chromium against real servers.
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
let strict: RunningServer; // one message per connection, then a 5 s wait
const open = (target: RunningServer, path = '/', options = {}) => openChat(browser, `${target.url}${path}`, options);

beforeAll(async () => {
  [browser, server, strict] = await Promise.all([
    launch(),
    startTestServer({ KAFKA_TOPIC: uniqueTopic('composer'), CLIENT_DIST }),
    startTestServer({ KAFKA_TOPIC: uniqueTopic('composer-strict'), CLIENT_DIST, RATE_CONN_PER_SEC: '0.2', RATE_CONN_BURST: '1' }),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), strict?.stop()]);
}, 60_000);

describe('composer', () => {
  it('adds a line with Shift+Enter, sends with Enter, counts characters and disables Send when empty or too long', async () => {
    const { page } = await open(server, '/#composer-room');
    const box = page.getByRole('textbox', { name: /Message/ });
    const sendButton = page.getByRole('button', { name: 'Send' });
    expect(await sendButton.isDisabled()).toBe(true);
    await box.fill('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    expect(await page.locator('#composer-counter').innerText()).toBe('22/500');
    await page.keyboard.press('Enter');
    const sent = page.locator('.message[data-mine="true"][data-state="delivered"] .text');
    await sent.waitFor();
    expect(await sent.innerText()).toBe('first line\nsecond line');
    expect(await box.inputValue()).toBe('');
    await box.fill('🌸'.repeat(501));
    expect(await page.locator('#composer-counter').innerText()).toBe('501/500');
    expect(await sendButton.isDisabled()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.locator('.message[data-state="pending"]').count()).toBe(0);
  });

  it('holds a message written faster than the room allows as "sending…" and delivers it once when its turn comes', async () => {
    const { page } = await open(strict, '/#strict-room');
    await send(page, 'first is fine');
    await page.locator('.message[data-state="delivered"]', { hasText: 'first is fine' }).waitFor();
    await send(page, 'second waits its turn');
    await page.locator('.message[data-state="pending"]', { hasText: 'second waits its turn' }).waitFor();
    const delivered = page.locator('.message[data-state="delivered"]', { hasText: 'second waits its turn' });
    await delivered.waitFor({ timeout: 20_000 }); // one message per 5 s on this server
    expect(await delivered.count()).toBe(1);
    expect(await page.locator('.message[data-state="failed"], .message[data-state="pending"]').count()).toBe(0);
  }, 30_000);

});

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
      await other.context.close();
      await me.page.locator('.notice').first().waitFor(); // the leave notice
      const low: string[] = [];
      for (const selector of TEXTS) {
        const { ratio, color } = await textContrast(me.page.locator(selector).first());
        if (process.env.CONTRAST_REPORT) console.log(`contrast ${colorScheme} ${selector}: ${ratio.toFixed(2)}`);
        if (ratio < 4.5) low.push(`${selector} ${color}: ${ratio.toFixed(2)}`);
      }
      expect(low).toEqual([]);
    }, 30_000);

    it(`has no WCAG 2 A/AA violations found by axe in the ${colorScheme} theme`, async () => {
      const { page } = await open(server, '/#composer-room', { colorScheme });
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
