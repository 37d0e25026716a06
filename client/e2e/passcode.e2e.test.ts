// Passcode rooms in real Chromium against a real server and broker: a room made from the sidebar
// with a passcode, a visitor stopped at the passcode form (a wrong passcode is refused), let in
// with the right one and kept in across a reload; the room is not in anyone else's list.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, openChat, SCREENSHOTS, send, shownTexts } from './browser.ts';

let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startTestServer({ KAFKA_TOPIC: uniqueTopic('passcode-e2e'), CLIENT_DIST })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

describe('passcode rooms', () => {
  it('creates a locked room, stops a visitor at the passcode, lets the right passcode in and keeps it across a reload', async () => {
    const creator = await openChat(browser, `${server.url}/#lobby`);
    await creator.page.getByRole('button', { name: '+ New room' }).click();
    await creator.page.getByLabel('Room name').fill('secret-garden');
    await creator.page.getByLabel('Passcode (optional)').fill('sakura-1234');
    await creator.page.getByRole('button', { name: 'Create locked room' }).click();
    await creator.page.locator('.locked-note').waitFor();
    await creator.page.waitForSelector('.badge[data-status="connected"]');
    await send(creator.page, 'welcome to the garden');
    await creator.page.locator('.message[data-state="delivered"]', { hasText: 'welcome to the garden' }).waitFor();
    expect(await creator.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /secret-garden/ }).count()).toBe(1);

    const visitor = await openChat(browser, `${server.url}/#lobby`);
    expect(await visitor.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /secret-garden/ }).count()).toBe(0);
    await visitor.page.goto(`${server.url}/#secret-garden`);
    await visitor.page.reload();
    const gate = visitor.page.locator('.passcode-gate');
    await gate.waitFor();
    expect(await visitor.page.locator('.message-list').count()).toBe(0);
    await gate.getByLabel('Passcode').fill('wrong-guess');
    await gate.getByRole('button', { name: 'Enter' }).click();
    await expect(gate.getByRole('alert').innerText()).resolves.toBe('That is not the passcode of this room.');
    await visitor.page.screenshot({ path: `${SCREENSHOTS}passcode.png` });
    await gate.getByLabel('Passcode').fill('sakura-1234');
    await gate.getByRole('button', { name: 'Enter' }).click();
    await visitor.page.locator('.message[data-state="delivered"]', { hasText: 'welcome to the garden' }).waitFor();
    await visitor.page.reload();
    await visitor.page.waitForSelector('.badge[data-status="connected"]');
    await visitor.page.locator('.message[data-state="delivered"]', { hasText: 'welcome to the garden' }).waitFor();
    expect(await shownTexts(visitor.page)).toEqual(['welcome to the garden']);
    expect(await visitor.page.locator('.passcode-gate').count()).toBe(0);
    for (const p of [creator, visitor]) expect([p.errors, p.dialogs, p.cspViolations]).toEqual([[], [], []]);
  }, 90_000);
});
