// How the client reacts to the browser's network state and motion preference, in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, openChat, send } from './browser.ts';

let browser: Browser;
let server: RunningServer;
beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startTestServer({ KAFKA_TOPIC: uniqueTopic('network'), CLIENT_DIST })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

describe('network and motion', () => {
  it('shows offline when the browser loses the network and reconnects as soon as it is back', async () => {
    const a = await openChat(browser, `${server.url}/#net-room`);
    await a.context.setOffline(true);
    await a.page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await a.page.locator('.badge[data-status="offline"]', { hasText: 'Offline' }).waitFor();
    await send(a.page, 'written while offline');
    await a.page.locator('.message[data-state="pending"]', { hasText: 'written while offline' }).waitFor();
    const backAt = Date.now();
    await a.context.setOffline(false);
    await a.page.locator('.badge[data-status="connected"]').waitFor();
    // The online event reconnects at once instead of waiting out the backoff (up to 10 s).
    expect(Date.now() - backAt).toBeLessThan(3000);
    await a.page.locator('.message[data-state="delivered"]', { hasText: 'written while offline' }).waitFor();
    expect(await a.page.locator('.message', { hasText: 'written while offline' }).count()).toBe(1);
  }, 30_000);

  it('animates new messages only when the user allows motion', async () => {
    for (const [reducedMotion, expected] of [['reduce', 'none'], ['no-preference', 'rise']] as const) {
      const p = await openChat(browser, `${server.url}/#motion-room`, { reducedMotion });
      await send(p.page, `motion ${reducedMotion}`);
      const message = p.page.locator('.message[data-state="delivered"]', { hasText: `motion ${reducedMotion}` });
      await message.waitFor();
      expect(await message.evaluate((el) => getComputedStyle(el).animationName)).toBe(expected);
    }
  });
});
