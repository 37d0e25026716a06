// Mentions in real Chromium against two server instances on one broker: typing "@" offers the
// names in the room, the picked name is mentioned, the message stands out only for that name
// (not for a third person in the same room), and a mention in another room shows as "@1" on that
// room and in the tab title.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, myName, openChat, SCREENSHOTS, send } from './browser.ts';

let browser: Browser;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  const env = { KAFKA_TOPIC: uniqueTopic('mentions-e2e'), CLIENT_DIST, TOKEN_SECRET: 'mentions-e2e-secret-of-32-chars!!!' };
  [browser, a, b] = await Promise.all([launch(), startTestServer({ ...env, INSTANCE_ID: 'mn-a' }), startTestServer({ ...env, INSTANCE_ID: 'mn-b' })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

const message = (page: Page, text: string) => page.locator('.message[data-state="delivered"]', { hasText: text });

describe('mentions', () => {
  it('suggests names after "@", highlights a mention only for its name, and counts one in another room', async () => {
    const writer = await openChat(browser, `${a.url}/#mention-room`);
    const target = await openChat(browser, `${b.url}/#mention-room`);
    const bystander = await openChat(browser, `${a.url}/#mention-room`);
    const targetName = await myName(target.page);
    await send(target.page, 'anyone watching Frieren tonight?');
    await message(writer.page, 'anyone watching Frieren').waitFor();

    // "@" and the first letters offer the name; Enter picks it (and does not send yet).
    const field = writer.page.getByRole('textbox', { name: /Message/ });
    await field.pressSequentially(`yes @${targetName.slice(0, 3)}`);
    const option = writer.page.getByRole('option', { name: `@${targetName}` });
    await option.waitFor();
    await writer.page.screenshot({ path: `${SCREENSHOTS}mentions.png` });
    await writer.page.keyboard.press('Enter');
    await expect(field.inputValue()).resolves.toBe(`yes @${targetName} `);
    await field.pressSequentially('me too');
    await writer.page.keyboard.press('Enter');

    const text = `yes @${targetName} me too`;
    const onTarget = message(target.page, text);
    await onTarget.waitFor();
    expect(await onTarget.getAttribute('data-mention')).toBe('true');
    expect(await onTarget.locator('.mention[data-me="true"]').innerText()).toBe(`@${targetName}`);
    const onBystander = message(bystander.page, text);
    await onBystander.waitFor();
    expect(await onBystander.getAttribute('data-mention')).toBe('false');
    expect(await onBystander.locator('.mention[data-me="true"]').count()).toBe(0);
    await onBystander.locator('.mention', { hasText: `@${targetName}` }).waitFor(); // still marked as a mention

    // The target moves to another room; a mention in this one shows as @1 there and in the title.
    await target.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /lobby/ }).click();
    await target.page.waitForSelector('.badge[data-status="connected"]');
    await send(writer.page, `@${targetName} come back, the episode starts`);
    await message(writer.page, 'come back, the episode starts').waitFor();
    await target.page.reload(); // the room list refreshes on every welcome (and every 20 s)
    await target.page.getByTestId('mentions-mention-room').waitFor();
    expect(await target.page.getByTestId('mentions-mention-room').innerText()).toContain('@1');
    await target.page.waitForFunction(() => document.title.startsWith('(1) '));

    for (const p of [writer, target, bystander]) expect([p.errors, p.dialogs]).toEqual([[], []]);
  }, 90_000);
});
