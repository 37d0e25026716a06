// The composer and its waiting and failure states, in real Chromium against real servers.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, openChat, send } from './browser.ts';

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
