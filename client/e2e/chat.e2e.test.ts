// The web client in real Chromium against real chat servers on the real test broker.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { freePort } from '../../server/src/test-support/free-port.ts';
import { postChat } from '../../server/src/test-support/post-chat.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, myName, openChat, SCREENSHOTS, send, shownTexts } from './browser.ts';

const topic = uniqueTopic('browser');
const port = await freePort();
const env = { KAFKA_TOPIC: topic, CLIENT_DIST, PORT: String(port) };
let browser: Browser;
let server: RunningServer;
let other: RunningServer; // a second instance on the same topic
const open = (path = '/', options = {}) => openChat(browser, `${server.url}${path}`, options);
const post = (body: Record<string, string>, target = server) => postChat(target.url, body);

beforeAll(async () => {
  [browser, server, other] = await Promise.all([launch(), startTestServer(env), startTestServer({ KAFKA_TOPIC: topic, CLIENT_DIST })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), other?.stop()]);
}, 60_000);

describe('web client', () => {
  it('gives two visitors different names; a message appears once for the other and as delivered for the sender', async () => {
    const a = await open('/#first-contact');
    const b = await open('/#first-contact');
    const [nameA, nameB] = [await myName(a.page), await myName(b.page)];
    expect(nameA).not.toBe(nameB);
    await send(a.page, 'Yoroshiku from A');
    const mine = a.page.locator('.message[data-mine="true"][data-state="delivered"]', { hasText: 'Yoroshiku from A' });
    await mine.waitFor();
    const theirs = b.page.locator('.message[data-mine="false"]', { hasText: 'Yoroshiku from A' });
    await theirs.waitFor();
    expect(await theirs.count()).toBe(1);
    expect(await theirs.locator('.author').innerText()).toBe(nameA);
    // An avatar derived from the name, and the UTC timestamp shown in local time (full date on hover).
    expect(await theirs.locator('.avatar').innerText()).toBe((nameA.match(/[A-Z]/g) ?? []).slice(0, 2).join(''));
    const time = theirs.locator('time');
    expect(await time.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await time.innerText()).toMatch(/^\d{1,2}:\d{2}/);
    expect(await time.getAttribute('title')).toContain(String(new Date().getFullYear()));
    expect(await mine.count()).toBe(1);
    expect(await a.page.locator('.message[data-state="pending"]').count()).toBe(0);
    await a.page.screenshot({ path: `${SCREENSHOTS}desktop.png` });
    // A reload keeps the name (the token is in localStorage) and shows the conversation again.
    await a.page.reload();
    await a.page.locator('.badge[data-status="connected"]').waitFor();
    expect(await myName(a.page)).toBe(nameA);
    await a.page.locator('.message[data-mine="true"]', { hasText: 'Yoroshiku from A' }).waitFor();
    expect([...a.cspViolations, ...b.cspViolations]).toEqual([]); // all of it works under the page's CSP
  });

  it('sends security headers; under its Content Security Policy an injected inline script does not run', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const a = await open('/#csp-check');
    await a.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
    });
    await a.page.waitForTimeout(200);
    expect(await a.page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    expect(a.cspViolations.length).toBeGreaterThan(0);
    await send(a.page, 'Still chatting under the policy');
    await a.page.locator('.message[data-mine="true"][data-state="delivered"]', { hasText: 'Still chatting' }).waitFor();
  });

  it('shows a message sent with POST /chat/send', async () => {
    const a = await open('/#bot-corner');
    expect((await post({ text: 'Beep boop from a bot', room: 'bot-corner', username: 'BotSensei' })).status).toBe(201);
    const msg = a.page.locator('.message', { hasText: 'Beep boop from a bot' });
    await msg.waitFor();
    expect(await msg.locator('.author').innerText()).toBe('BotSensei');
  });

  it('shows HTML and scripts as text and runs nothing', async () => {
    const a = await open('/#xss-check');
    const b = await open('/#xss-check');
    const evil = '<img src=x onerror=alert(1)> and <script>alert(2)</script>';
    await send(a.page, evil);
    await b.page.locator('.message[data-mine="false"] .text', { hasText: 'onerror' }).waitFor();
    expect(await b.page.locator('.message[data-mine="false"] .text').innerText()).toBe(evil);
    expect(await b.page.locator('.message-list img, .message-list script').count()).toBe(0);
    expect([...a.dialogs, ...b.dialogs]).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('turns web addresses into safe links that open elsewhere, and leaves other schemes as text', async () => {
    const a = await open('/#link-check');
    const text = 'guide at https://example.com/guide?x=1, not javascript:alert(3)';
    expect((await post({ text, room: 'link-check' })).status).toBe(201);
    const message = a.page.locator('.message .text', { hasText: 'guide at' });
    await message.waitFor();
    expect(await message.innerText()).toBe(text); // the text reads the same
    const links = message.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/guide?x=1');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    expect(await links.getAttribute('target')).toBe('_blank');
    expect(await links.innerText()).toBe('https://example.com/guide?x=1');
    expect(await a.page.locator('.day-divider').allInnerTexts()).toEqual(['Today']); // above the day's first message
    expect([...a.dialogs, ...a.errors, ...a.cspViolations]).toEqual([]);
  });

  it('switches rooms: shows the other room\'s history and keeps new messages apart', async () => {
    expect((await post({ text: 'Tavern history', room: 'isekai-tavern' })).status).toBe(201);
    const a = await open('/');
    await a.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /isekai-tavern/ }).click();
    await a.page.locator('.message', { hasText: 'Tavern history' }).waitFor();
    expect(await a.page.locator('.rooms [aria-current="page"]').innerText()).toContain('isekai-tavern');
    await post({ text: 'Only for the lobby', room: 'lobby' });
    await post({ text: 'Live in the tavern', room: 'isekai-tavern' });
    await a.page.locator('.message', { hasText: 'Live in the tavern' }).waitFor();
    expect(await shownTexts(a.page)).not.toContain('Only for the lobby');
    await a.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /lobby/ }).click();
    await a.page.locator('.message', { hasText: 'Only for the lobby' }).waitFor();
    expect(await shownTexts(a.page)).not.toContain('Tavern history');
  });

  it('when scrolled up, a new message shows a pill and does not move the view', async () => {
    for (let i = 0; i < 40; i++) await post({ text: `Backlog message ${i}`, room: 'scroll-room' });
    const a = await open('/#scroll-room');
    await a.page.locator('.message', { hasText: 'Backlog message 39' }).waitFor();
    const list = a.page.locator('.messages');
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await a.page.waitForFunction(() => document.querySelector('.messages')?.scrollTop === 0);
    await post({ text: 'Arrived while you read', room: 'scroll-room' });
    await a.page.locator('.message', { hasText: 'Arrived while you read' }).waitFor({ state: 'attached' });
    const pill = a.page.getByRole('button', { name: /1 new message/ });
    await pill.waitFor();
    expect(await list.evaluate((el) => el.scrollTop)).toBe(0);
    await pill.click();
    await pill.waitFor({ state: 'detached' });
    expect(await list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(50);
  });

  it('is usable on a 390x844 phone: room menu, sending, no sideways scrolling', async () => {
    const a = await open('/', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    expect(await a.page.locator('.rooms').isVisible()).toBe(false);
    await a.page.getByRole('button', { name: /Change room/ }).click();
    await a.page.getByRole('menuitemradio', { name: /mecha-hangar/ }).click();
    await a.page.getByRole('button', { name: /Room: mecha-hangar/ }).waitFor();
    // Nothing of the page may stay hidden from assistive technology or blocked after the menu.
    expect(await a.page.locator('[aria-hidden="true"]:has(.composer)').count()).toBe(0);
    expect(await a.page.evaluate(() => getComputedStyle(document.body).pointerEvents)).not.toBe('none');
    await a.page.locator('.badge[data-status="connected"]').waitFor();
    await post({ text: 'Giant robots assemble! 🤖', room: 'mecha-hangar' });
    await send(a.page, 'Sending from my phone 📱');
    await a.page.locator('.message[data-mine="true"][data-state="delivered"]', { hasText: 'Sending from my phone' }).waitFor();
    const longWord = `Supercalifragilistic${'desu'.repeat(45)}`; // 200 characters, no break
    await post({ text: longWord, room: 'mecha-hangar' });
    const longText = a.page.locator('.message .text', { hasText: longWord });
    await longText.waitFor();
    // The list scrolls inside itself, so check the text and the list, not just the page.
    expect(await longText.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    expect(await a.page.locator('.messages').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await a.page.setViewportSize({ width: 360, height: 640 }); // the smallest phones we support
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await a.page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
    await a.page.setViewportSize({ width: 390, height: 844 });
    for (const name of ['Send']) expect(await a.page.getByRole('button', { name }).isVisible()).toBe(true);
    await a.page.screenshot({ path: `${SCREENSHOTS}phone.png` });
    // The sidebar's private threads and "New room" fold out under the header on a phone.
    await a.page.getByText('Private messages and new rooms').click();
    await a.page.getByRole('button', { name: '+ New room' }).waitFor();
    expect(await a.page.getByRole('navigation', { name: 'Private messages' }).isVisible()).toBe(true);
  });

  it('survives a server restart: reconnects, keeps the name, sends what was typed once, shows what others said', async () => {
    const a = await open('/#restart-room');
    const name = await myName(a.page);
    await send(a.page, 'Before the restart');
    await a.page.locator('.message[data-state="delivered"]', { hasText: 'Before the restart' }).waitFor();

    await server.stop();
    const badge = a.page.locator('.badge[data-status="waiting"]');
    await badge.waitFor();
    expect(await badge.innerText()).toMatch(/Reconnecting in \d+ s/); // with its countdown
    await send(a.page, 'Typed during the outage');
    await a.page.locator('.message[data-state="pending"]', { hasText: 'Typed during the outage' }).waitFor();
    expect((await post({ text: 'Sent while you were away', room: 'restart-room', username: 'NightOwl' }, other)).status).toBe(201);

    server = await startTestServer(env);
    await a.page.locator('.badge[data-status="connected"]').waitFor({ timeout: 30_000 });
    await a.page.locator('.message[data-state="delivered"]', { hasText: 'Typed during the outage' }).waitFor();
    await a.page.locator('.message', { hasText: 'Sent while you were away' }).waitFor();
    expect(await myName(a.page)).toBe(name);
    expect(await a.page.locator('.message[data-state="pending"], .message[data-state="failed"]').count()).toBe(0);
    const texts = await shownTexts(a.page);
    expect(texts.filter((t) => t === 'Typed during the outage')).toHaveLength(1);
    expect(texts.filter((t) => t === 'Before the restart')).toHaveLength(1);
    expect(texts.filter((t) => t === 'Sent while you were away')).toHaveLength(1);
    const ids = await a.page.locator('.message[data-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(new Set(ids).size).toBe(ids.length);
  }, 90_000);
});
