// Scrolling back through a room's history in real Chromium against a real server and broker.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { postChat } from '../../server/src/test-support/post-chat.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, openChat, shownTexts } from './browser.ts';

const ROOM = 'scroll-room';
const TOTAL = 130;
let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launch(),
    startTestServer({ KAFKA_TOPIC: uniqueTopic('scrollback'), CLIENT_DIST, RATE_IP_PER_SEC: '1000', RATE_IP_BURST: '1000' }),
  ]);
  for (let i = 0; i < TOTAL; i++) {
    const text = i === 3 ? 'the legendary tanuki appears' : `line ${i}`;
    const res = await postChat(server.url, { text, room: ROOM, username: 'ArchiveBot' });
    if (res.status !== 201) throw new Error(`message ${i} not stored: ${res.status}`);
  }
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

describe('scrollback', () => {
  it('loads older messages when scrolled to the top, keeps the reading position, and ends at the beginning of the room', async () => {
    const { page, errors, cspViolations } = await openChat(browser, `${server.url}/#${ROOM}`);
    await page.locator('.message', { hasText: `line ${TOTAL - 1}` }).waitFor();
    expect(await shownTexts(page)).toHaveLength(50); // the welcome's recent history
    const list = page.locator('.messages');
    const topOf = (text: string) => page.locator('.message .text', { hasText: new RegExp(`^${text}$`) }).evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top - (el.closest('.messages') as HTMLElement).getBoundingClientRect().top;
    });

    // Scroll to the top: the page above arrives, and the message that was at the top stays put.
    const oldest = `line ${TOTAL - 50}`;
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    const before = await topOf(oldest);
    await page.locator('.message .text', { hasText: new RegExp(`^line ${TOTAL - 100}$`) }).waitFor();
    expect(Math.abs((await topOf(oldest)) - before)).toBeLessThan(40);

    // On to the beginning of the room.
    for (let i = 0; i < 10 && (await page.locator('.history-edge', { hasText: `Beginning of #${ROOM}` }).count()) === 0; i++) {
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      await page.waitForTimeout(300);
    }
    await page.locator('.history-edge', { hasText: `Beginning of #${ROOM}` }).waitFor();
    expect(await shownTexts(page)).toEqual(Array.from({ length: TOTAL }, (_, i) => (i === 3 ? 'the legendary tanuki appears' : `line ${i}`)));
    expect(errors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 60_000);

  it('finds an old message by a word and shows it highlighted in its conversation', async () => {
    const { page, errors } = await openChat(browser, `${server.url}/#${ROOM}`);
    await page.locator('.message', { hasText: `line ${TOTAL - 1}` }).waitFor();
    await page.getByRole('searchbox', { name: `Search #${ROOM}` }).fill('Legendary TANUKI');
    await page.keyboard.press('Enter');
    const result = page.locator('.search-result', { hasText: 'the legendary tanuki appears' });
    await result.waitFor();
    expect(await page.locator('.search-result').count()).toBe(1);
    await result.click();
    const found = page.locator('.message[data-highlight="true"]', { hasText: 'the legendary tanuki appears' });
    await found.waitFor({ timeout: 15_000 });
    expect(await found.isVisible()).toBe(true);
    // In context: the messages around it are there too.
    await page.locator('.message .text', { hasText: /^line 2$/ }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows unread counts for rooms read before, and a "new messages" divider when opening one', async () => {
    const post = (room: string, text: string) => postChat(server.url, { text, room, username: 'NewsBot' });
    await post('badge-b', 'already read');
    const { page, errors } = await openChat(browser, `${server.url}/#badge-b`);
    await page.locator('.message .text', { hasText: 'already read' }).waitFor();
    await page.goto(`${server.url}/#badge-a`);
    await page.reload();
    await page.waitForSelector('.badge[data-status="connected"]');
    for (const text of ['news 1', 'news 2', 'news 3']) expect((await post('badge-b', text)).status).toBe(201);
    await page.reload(); // the room list is refreshed on every welcome (and every 20 s)
    await page.waitForSelector('.badge[data-status="connected"]');
    const badge = page.getByTestId('unread-badge-b');
    await badge.waitFor();
    expect(await badge.innerText()).toContain('3');
    await page.locator('.rooms .room', { hasText: 'badge-b' }).click();
    await page.locator('.message .text', { hasText: 'news 3' }).waitFor();
    const order = await page.locator('.message-list > li').evaluateAll((lis) => lis.map((li) =>
      li.classList.contains('new-divider') ? 'DIVIDER' : (li.querySelector('.text')?.textContent ?? '')).filter(Boolean));
    expect(order).toEqual(['already read', 'DIVIDER', 'news 1', 'news 2', 'news 3']);
    expect(errors).toEqual([]);
  }, 60_000);
});
