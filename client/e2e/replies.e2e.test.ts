// Replies in real Chromium against a real server and broker: Reply on a message puts its quote
// above the composer and the sent message carries it; clicking a quote whose original is far
// back loads it through scrollback and highlights it; removing the original turns every quote
// of it into "message removed".
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import type { ChatMessage } from '@anime-universe/protocol';
import type { RunningServer } from '../../server/src/server.ts';
import { postChat } from '../../server/src/test-support/post-chat.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, openChat, SCREENSHOTS, send } from './browser.ts';

const ROOM = 'reply-room';
const MOD = 'replies-moderator-secret-01';
let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startTestServer({ KAFKA_TOPIC: uniqueTopic('replies-e2e'), CLIENT_DIST, MODERATOR_TOKENS: `mika:${MOD}` })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

async function post(text: string, replyTo?: number): Promise<ChatMessage> {
  const res = await postChat(server.url, { text, room: ROOM, username: 'OldTimer', ...(replyTo !== undefined ? { replyTo } : {}) });
  expect(res.status).toBe(201);
  return (await res.json()) as ChatMessage;
}
const message = (page: Page, text: string) => page.locator('.message[data-state="delivered"]', { hasText: text });

describe('replies', () => {
  it('replies with a quote, jumps to a far original through scrollback, and shows a removed original as removed', async () => {
    const original = await post('Which arc of One Piece made you cry the most?');
    for (let i = 0; i < 70; i++) await post(`filler message ${i}`);
    await post('Enies Lobby, no contest', original.offset);

    const { page, errors } = await openChat(browser, `${server.url}/#${ROOM}`);
    const reply = message(page, 'Enies Lobby, no contest');
    await reply.waitFor();
    expect(await page.locator(`.message[data-offset="${original.offset}"]`).count()).toBe(0); // not in the welcome's history
    await reply.locator('.quote').click();
    const shown = page.locator(`.message[data-offset="${original.offset}"]`);
    await shown.waitFor();
    await page.waitForSelector(`.message[data-offset="${original.offset}"][data-highlight="true"]`);
    expect(await shown.locator('.text').innerText()).toBe('Which arc of One Piece made you cry the most?');

    // Reply from the UI: the quote shows above the composer, Escape would cancel it; send it.
    await message(page, 'filler message 69').getByRole('button', { name: 'Reply to OldTimer' }).click();
    await expect(page.getByTestId('replying-to').innerText()).resolves.toContain('filler message 69');
    await send(page, 'the last filler was the best');
    const mine = page.locator('.message[data-mine="true"][data-state="delivered"]', { hasText: 'the last filler was the best' });
    await mine.waitFor();
    expect(await mine.locator('.quote-text').innerText()).toBe('filler message 69');
    expect(await page.getByTestId('replying-to').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}replies.png` });

    // The original is removed by a moderator: the quote says so, and a reload agrees.
    const del = await fetch(`${server.url}/rooms/${ROOM}/messages/${original.offset}`, { method: 'DELETE', headers: { authorization: `Bearer ${MOD}` } });
    expect(del.status).toBe(200);
    await reply.locator('.quote[data-removed="true"]', { hasText: 'message removed' }).waitFor();
    await page.reload();
    await page.waitForSelector('.badge[data-status="connected"]');
    await message(page, 'Enies Lobby, no contest').locator('.quote[data-removed="true"]').waitFor();
    expect(errors).toEqual([]);
  }, 90_000);
});
