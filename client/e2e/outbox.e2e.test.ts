// The outbox after a reconnect, in real Chromium against a real server with tight limits.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, openChat, send } from './browser.ts';

let browser: Browser;
let paced: RunningServer; // a burst of 8, then 5 a second; an abuse close after 3 bad frames or 15 sent while told to wait
const open = (path: string) => openChat(browser, `${paced.url}${path}`);

beforeAll(async () => {
  [browser, paced] = await Promise.all([
    launch(),
    startTestServer({
      KAFKA_TOPIC: uniqueTopic('outbox-paced'), CLIENT_DIST, RATE_CONN_PER_SEC: '5', RATE_CONN_BURST: '8',
      RATE_IP_PER_SEC: '5', RATE_IP_BURST: '8', ABUSE_STRIKES: '3',
    }),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await paced?.stop();
}, 60_000);

describe('outbox', () => {
  it('delivers 30 messages written offline after reconnecting, at the allowed pace, without being closed as abuse', async () => {
    const { page, context } = await open('/#queue-room');
    await page.locator('.badge[data-status="connected"]').waitFor();
    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.locator('.badge[data-status="offline"]').waitFor();
    for (let i = 1; i <= 30; i++) await send(page, `queued ${i}`);
    expect(await page.locator('.message[data-state="pending"]').count()).toBe(30);
    await context.setOffline(false);
    await page.locator('.message[data-state="delivered"]', { hasText: 'queued 30' }).waitFor({ timeout: 20_000 });
    const delivered = await page.locator('.message[data-state="delivered"] .text').allInnerTexts();
    expect(delivered).toEqual(Array.from({ length: 30 }, (_, i) => `queued ${i + 1}`));
    expect(await page.locator('.message[data-state="failed"], .message[data-state="pending"]').count()).toBe(0);
    expect(await page.locator('.badge[data-status="connected"]').count()).toBe(1);
  }, 40_000);
});
