// Private messages in real Chromium against two server instances on one broker: a thread opened
// from someone's message reaches only its two names (on either instance), not a third person in
// the same room; unread counts show in the sidebar; the thread is still there after a reload.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, myName, openChat, SCREENSHOTS, send } from './browser.ts';

let browser: Browser;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  const env = { KAFKA_TOPIC: uniqueTopic('private-e2e'), CLIENT_DIST, TOKEN_SECRET: 'private-e2e-secret-of-32-chars!!!!!', INSTANCE_STATS_INTERVAL_MS: '500' };
  [browser, a, b] = await Promise.all([launch(), startTestServer({ ...env, INSTANCE_ID: 'pm-a' }), startTestServer({ ...env, INSTANCE_ID: 'pm-b' })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

describe('private messages', () => {
  it('reach only the two names on either instance, count as unread, and stay after a reload', async () => {
    const alice = await openChat(browser, `${a.url}/#pm-room`);
    const bob = await openChat(browser, `${b.url}/#pm-room`);
    const carol = await openChat(browser, `${a.url}/#pm-room`);
    const [aliceName, bobName] = [await myName(alice.page), await myName(bob.page)];
    await send(bob.page, 'anyone up for a rewatch?');
    const bobsMessage = alice.page.locator('.message[data-state="delivered"]', { hasText: 'anyone up for a rewatch?' });
    await bobsMessage.waitFor();
    // Bob is on the other instance: A may take a moment to learn he is online.
    await bobsMessage.getByRole('button', { name: `Private message to ${bobName}` }).click();
    const thread = alice.page.getByRole('region', { name: `Private conversation with ${bobName}` });
    await thread.waitFor();
    const field = thread.getByRole('textbox', { name: `Private message to ${bobName}` });
    const deadline = Date.now() + 15_000;
    for (;;) {
      await field.fill('secret plan: watch it tonight');
      await thread.getByRole('button', { name: 'Send' }).click();
      const delivered = thread.locator('.message[data-state="delivered"]', { hasText: 'secret plan' });
      const failed = thread.locator('.message[data-state="failed"]');
      await Promise.race([delivered.waitFor({ timeout: 5000 }), failed.waitFor({ timeout: 5000 })]).catch(() => {});
      if (await delivered.count() > 0) break;
      if (Date.now() > deadline) throw new Error('the private message was never delivered');
      await alice.page.waitForTimeout(500);
    }
    await alice.page.screenshot({ path: `${SCREENSHOTS}private.png` });

    // Bob: an unread count on alice's thread; opening it shows the message; his answer reaches alice.
    const unread = bob.page.getByTestId(`private-unread-${aliceName}`);
    await unread.waitFor();
    expect(await unread.innerText()).toContain('1');
    await bob.page.getByRole('navigation', { name: 'Private messages' }).getByRole('button', { name: new RegExp(aliceName) }).click();
    const bobThread = bob.page.getByRole('region', { name: `Private conversation with ${aliceName}` });
    await bobThread.locator('.message[data-state="delivered"]', { hasText: 'secret plan' }).waitFor();
    await bobThread.getByRole('textbox', { name: `Private message to ${aliceName}` }).fill('deal, 9 pm');
    await bobThread.getByRole('button', { name: 'Send' }).click();
    await thread.locator('.message[data-state="delivered"]', { hasText: 'deal, 9 pm' }).waitFor();

    // Carol, in the same room on alice's instance, sees none of it.
    await carol.page.waitForTimeout(500);
    expect(await carol.page.getByText('secret plan').count()).toBe(0);
    expect(await carol.page.getByText('deal, 9 pm').count()).toBe(0);
    expect(await carol.page.getByRole('navigation', { name: 'Private messages' }).getByRole('button').count()).toBe(0);

    // After a reload bob's thread is still listed and opens with both messages.
    await bob.page.reload();
    await bob.page.waitForSelector('.badge[data-status="connected"]');
    await bob.page.getByRole('navigation', { name: 'Private messages' }).getByRole('button', { name: new RegExp(aliceName) }).click();
    await bob.page.getByRole('region', { name: `Private conversation with ${aliceName}` }).locator('.message', { hasText: 'deal, 9 pm' }).waitFor();
    for (const p of [alice, bob, carol]) expect([p.errors, p.dialogs, p.cspViolations]).toEqual([[], [], []]);
  }, 90_000);
});
