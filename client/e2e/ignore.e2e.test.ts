// Ignoring a name in real Chromium against a real server and broker: its messages become
// placeholders at once, stay hidden after a reload (the list is in this browser only), can be
// shown one at a time, and come back when the name is no longer ignored.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, myName, openChat, send, shownTexts } from './browser.ts';

let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startTestServer({ KAFKA_TOPIC: uniqueTopic('ignore'), CLIENT_DIST })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

describe('ignore', () => {
  it('hides an ignored name\'s messages behind a placeholder, across a reload, until shown or unignored', async () => {
    const me = await openChat(browser, `${server.url}/#ignore-room`);
    const spammer = await openChat(browser, `${server.url}/#ignore-room`);
    const name = await myName(spammer.page);
    await send(spammer.page, 'buy cheap coins');
    await send(me.page, 'hello everyone');
    await me.page.locator('.message .text', { hasText: 'buy cheap coins' }).waitFor();
    await me.page.locator('.message[data-mine="true"][data-state="delivered"]', { hasText: 'hello everyone' }).waitFor();

    await me.page.getByRole('button', { name: `Ignore ${name}` }).first().click();
    const placeholders = me.page.locator('.message[data-ignored="true"]');
    await placeholders.first().waitFor();
    expect(await shownTexts(me.page)).toEqual(['hello everyone']);

    // New messages of the name arrive hidden; others' still show.
    await send(spammer.page, 'more cheap coins');
    await send(me.page, 'anyone here?');
    await me.page.locator('.message[data-state="delivered"]', { hasText: 'anyone here?' }).waitFor();
    await placeholders.nth(1).waitFor();
    expect(await shownTexts(me.page)).toEqual(['hello everyone', 'anyone here?']);

    // A reload keeps the list: the welcome's history shows the same placeholders.
    await me.page.reload();
    await me.page.waitForSelector('.badge[data-status="connected"]');
    await me.page.locator('.message .text', { hasText: 'anyone here?' }).waitFor();
    await expect(placeholders.count()).resolves.toBe(2);
    expect(await shownTexts(me.page)).not.toContain('buy cheap coins');

    // "Show" reveals one message; "Unignore" on it brings every message of the name back.
    await placeholders.first().getByRole('button', { name: 'Show' }).click();
    await me.page.locator('.message .text', { hasText: 'buy cheap coins' }).waitFor();
    await me.page.locator('.message[data-mine="true"][data-state="delivered"]', { hasText: 'hello everyone' }).waitFor();
    expect(await placeholders.count()).toBe(1);
    await me.page.getByRole('button', { name: `Stop ignoring ${name}` }).click();
    await me.page.locator('.message .text', { hasText: 'more cheap coins' }).waitFor();
    expect(await placeholders.count()).toBe(0);
    expect(await me.page.evaluate(() => localStorage.getItem('anime-universe.ignored'))).toBe('[]');

    // Nothing of this reached the server or the other side.
    await spammer.page.locator('.message .text', { hasText: 'anyone here?' }).waitFor();
    expect((await shownTexts(spammer.page)).toSorted()).toEqual(['anyone here?', 'buy cheap coins', 'hello everyone', 'more cheap coins']);
    expect([...me.errors, ...spammer.errors, ...me.cspViolations]).toEqual([]);
  }, 60_000);
});
