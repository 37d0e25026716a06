// Removing messages in real Chromium against a real server and broker: an author removes their
// own message, a moderator signs in and removes someone else's, everyone sees "removed" at once
// and after a reload, and a wrong moderator token is refused and forgotten.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, myName, openChat, send, shownTexts } from './browser.ts';

const SECRET = 'browser-moderator-secret-1';
let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launch(),
    startTestServer({ KAFKA_TOPIC: uniqueTopic('moderation-ui'), CLIENT_DIST, MODERATOR_TOKENS: `mika:${SECRET}` }),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

describe('removing messages in the web client', () => {
  // The wrong-token case runs first: the last case ends with a timeout that covers 127.0.0.1.
  it('refuses a wrong moderator token, says so, and signs out', async () => {
    const url = `${server.url}/#mod-wrong`;
    const poster = await openChat(browser, url);
    await send(poster.page, 'still here');
    const pretender = await openChat(browser, url);
    await pretender.page.locator('.message .text', { hasText: 'still here' }).waitFor();
    await pretender.page.getByRole('button', { name: 'Moderator sign-in' }).click();
    await pretender.page.getByLabel('Moderator token').fill('not-the-real-token-123');
    await pretender.page.getByRole('button', { name: 'Sign in' }).click();
    // The queue is read at once with the token, which the server refuses.
    await pretender.page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    await pretender.page.getByRole('button', { name: 'Moderator sign-in' }).waitFor();
    expect(await shownTexts(pretender.page)).toEqual(['still here']);
    expect(await poster.page.locator('.message[data-removed="true"]').count()).toBe(0);
  }, 60_000);

  it('shows a slow-mode countdown in the composer once a moderator turns it on; the moderator is not slowed', async () => {
    const url = `${server.url}/#slow-lounge`;
    const visitor = await openChat(browser, url);
    const mod = await openChat(browser, url);
    await mod.page.getByRole('button', { name: 'Moderator sign-in' }).click();
    await mod.page.getByLabel('Moderator token').fill(SECRET);
    await mod.page.getByRole('button', { name: 'Sign in' }).click();
    await mod.page.getByLabel('Slow mode').selectOption('30');
    await mod.page.getByRole('status').filter({ hasText: 'Slow mode is on' }).waitFor();

    await send(visitor.page, 'a slow hello');
    await visitor.page.locator('.message[data-state="delivered"]', { hasText: 'a slow hello' }).waitFor();
    const wait = visitor.page.getByTestId('slow-mode-wait');
    await wait.waitFor();
    expect(Number((await wait.innerText()).match(/(\d+) s/)?.[1])).toBeGreaterThan(20);
    await visitor.page.getByRole('textbox', { name: /Message/ }).fill('too soon');
    expect(await visitor.page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);

    for (const text of ['moderator one', 'moderator two']) await send(mod.page, text);
    await mod.page.locator('.message[data-state="delivered"]', { hasText: 'moderator two' }).waitFor();
    expect(await mod.page.getByTestId('slow-mode-wait').count()).toBe(0);
    await mod.page.getByLabel('Slow mode').selectOption('0'); // off again for whoever comes next
    await mod.page.getByRole('status').filter({ hasText: 'Slow mode is off' }).waitFor();
    expect([...visitor.errors, ...mod.errors]).toEqual([]);
  }, 60_000);

  it('lets a visitor report a message, which a moderator sees in the queue, removes and dismisses in a click each', async () => {
    const url = `${server.url}/#report-lounge`;
    const troll = await openChat(browser, url);
    const visitor = await openChat(browser, url);
    const trollName = await myName(troll.page);
    await send(troll.page, 'you all stink');
    await visitor.page.locator('.message .text', { hasText: 'you all stink' }).waitFor();
    await visitor.page.getByRole('button', { name: `Report the message from ${trollName}` }).click();
    await visitor.page.getByRole('button', { name: 'abuse' }).click();
    await visitor.page.getByRole('status').filter({ hasText: 'Reported' }).waitFor();

    const mod = await openChat(browser, url);
    await mod.page.getByRole('button', { name: 'Moderator sign-in' }).click();
    await mod.page.getByLabel('Moderator token').fill(SECRET);
    await mod.page.getByRole('button', { name: 'Sign in' }).click();
    const entry = mod.page.locator('.report', { hasText: 'you all stink' });
    await entry.waitFor();
    expect(await entry.innerText()).toContain('“abuse”');
    await entry.getByRole('button', { name: 'Remove message' }).click();
    await visitor.page.locator('.message[data-removed="true"]', { hasText: `Message from ${trollName} removed` }).waitFor();
    await entry.getByRole('button', { name: 'Dismiss' }).click();
    await mod.page.getByRole('heading', { name: 'Reports (0)' }).waitFor();
    expect([...troll.errors, ...visitor.errors, ...mod.errors]).toEqual([]);
  }, 60_000);

  it('lets authors remove their own messages and a signed-in moderator anyone\'s; everyone sees them removed', async () => {
    const url = `${server.url}/#mod-lounge`;
    const author = await openChat(browser, url);
    const other = await openChat(browser, url);
    const authorName = await myName(author.page);
    const otherName = await myName(other.page);
    await send(author.page, 'oops, wrong window');
    await send(other.page, 'visit my spam link');
    for (const p of [author.page, other.page]) await p.locator('.message .text', { hasText: 'visit my spam link' }).waitFor();
    await other.page.locator('.message .text', { hasText: 'oops, wrong window' }).waitFor();

    // Only the author is offered "Remove" on their message.
    expect(await other.page.getByRole('button', { name: `Remove the message from ${authorName}` }).count()).toBe(0);
    await author.page.getByRole('button', { name: 'Remove your message' }).click();
    for (const p of [author.page, other.page]) {
      await p.locator('.message[data-removed="true"]', { hasText: `Message from ${authorName} removed` }).waitFor();
      expect(await shownTexts(p)).toEqual(['visit my spam link']);
    }

    // A moderator signs in on a third browser and removes the other visitor's message.
    const mod = await openChat(browser, url);
    await mod.page.getByRole('button', { name: 'Moderator sign-in' }).click();
    await mod.page.getByLabel('Moderator token').fill(SECRET);
    await mod.page.getByRole('button', { name: 'Sign in' }).click();
    await mod.page.getByTestId('moderating').waitFor();
    await mod.page.getByRole('button', { name: `Remove the message from ${otherName}` }).click();
    for (const p of [author.page, other.page, mod.page]) {
      await p.locator('.message[data-removed="true"]', { hasText: `Message from ${otherName} removed` }).waitFor();
    }

    // After a reload the history says the same.
    await other.page.reload();
    await other.page.waitForSelector('.badge[data-status="connected"]');
    await other.page.locator('.message[data-removed="true"]').nth(1).waitFor();
    expect(await shownTexts(other.page)).toEqual([]);

    // The moderator times the other visitor out from one of its messages: its next message is
    // refused with the reason. (Every browser here shares 127.0.0.1, so this comes last: a
    // timeout also covers the address.)
    await other.page.waitForSelector('.badge[data-status="connected"]');
    await send(other.page, 'one more spam');
    await mod.page.locator('.message .text', { hasText: 'one more spam' }).waitFor();
    await mod.page.getByLabel('Time out for').selectOption('60');
    await mod.page.locator('.message', { hasText: 'one more spam' }).getByRole('button', { name: `Time out ${otherName}` }).click();
    await mod.page.getByRole('status').filter({ hasText: `${otherName} is timed out for 1 h` }).waitFor();
    await send(other.page, 'am I muted?');
    await other.page.locator('.message[data-state="failed"]', { hasText: 'am I muted?' }).getByText(/timed you out/).waitFor();
    expect([...author.errors, ...other.errors, ...mod.errors, ...mod.cspViolations, ...mod.dialogs]).toEqual([]);
  }, 90_000);
});
