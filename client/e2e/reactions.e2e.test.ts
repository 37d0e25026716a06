// Reactions in real Chromium against two server instances on one real broker: a reaction picked
// on A is counted on B at once with who reacted, a second name adds to the count, taking one
// back lowers it, and a browser that was offline sees the reactions made meanwhile after it
// resumes. Emoji that are not one emoji cannot be sent.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, myName, openChat, SCREENSHOTS, send } from './browser.ts';

let browser: Browser;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  const env = { KAFKA_TOPIC: uniqueTopic('reactions-e2e'), CLIENT_DIST, TOKEN_SECRET: 'reactions-e2e-secret-of-32-chars!!' };
  [browser, a, b] = await Promise.all([launch(), startTestServer({ ...env, INSTANCE_ID: 'rx-a' }), startTestServer({ ...env, INSTANCE_ID: 'rx-b' })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

const message = (page: Page, text: string) => page.locator('.message[data-state="delivered"]', { hasText: text });
const chip = (page: Page, text: string, emoji: string) => message(page, text).locator(`.reaction-chip[data-emoji="${emoji}"]`);

describe('reactions', () => {
  it('counts a reaction from A on B with who reacted, adds and takes back, and catches up after being offline', async () => {
    const onA = await openChat(browser, `${a.url}/#react-room`);
    const onB = await openChat(browser, `${b.url}/#react-room`);
    const nameA = await myName(onA.page);
    const nameB = await myName(onB.page);
    await send(onB.page, 'the opening song slaps');
    await message(onA.page, 'the opening song slaps').waitFor();

    // A picks 🔥 from the picker.
    await message(onA.page, 'the opening song slaps').getByRole('button', { name: 'Add a reaction' }).click();
    await onA.page.getByRole('button', { name: 'React with 🔥' }).click();
    await expect(onA.page.getByRole('group', { name: 'Pick a reaction' }).count()).resolves.toBe(0); // closed after picking

    // B sees it, with A's name on hover; B adds its own to the same chip.
    const onBChip = chip(onB.page, 'the opening song slaps', '🔥');
    await onBChip.locator('.count', { hasText: '1' }).waitFor();
    expect(await onBChip.getAttribute('aria-pressed')).toBe('false');
    await onBChip.hover();
    expect(await onBChip.locator('.who').innerText()).toBe(nameA);
    await onBChip.click();
    await onBChip.locator('.count', { hasText: '2' }).waitFor();
    expect(await onBChip.getAttribute('aria-pressed')).toBe('true');
    const onAChip = chip(onA.page, 'the opening song slaps', '🔥');
    await onAChip.locator('.count', { hasText: '2' }).waitFor();
    expect(await onAChip.getAttribute('aria-label')).toBe(`🔥 2: you and ${nameB}. Take back your reaction`);

    // Any emoji through the field; text is refused before sending.
    await message(onA.page, 'the opening song slaps').getByRole('button', { name: 'Add a reaction' }).click();
    const field = onA.page.getByRole('textbox', { name: 'Any emoji' });
    await field.fill('lol');
    expect(await onA.page.getByRole('button', { name: 'Add', exact: true }).isDisabled()).toBe(true);
    await field.fill('🍡');
    await onA.page.getByRole('button', { name: 'Add', exact: true }).click();
    await chip(onB.page, 'the opening song slaps', '🍡').waitFor();
    await onB.page.screenshot({ path: `${SCREENSHOTS}reactions.png` });

    // B goes offline; A takes 🔥 back and adds 🌸 meanwhile; B resumes and shows both changes.
    await onB.context.setOffline(true);
    await onB.page.waitForSelector('.badge:not([data-status="connected"])');
    await onAChip.click();
    await onAChip.locator('.count', { hasText: '1' }).waitFor();
    await message(onA.page, 'the opening song slaps').getByRole('button', { name: 'Add a reaction' }).click();
    await onA.page.getByRole('button', { name: 'React with 🌸' }).click();
    await chip(onA.page, 'the opening song slaps', '🌸').waitFor();
    await onB.context.setOffline(false);
    await onB.page.waitForSelector('.badge[data-status="connected"]', { timeout: 20_000 });
    await chip(onB.page, 'the opening song slaps', '🌸').waitFor();
    await onBChip.locator('.count', { hasText: '1' }).waitFor();
    expect(await onBChip.getAttribute('aria-pressed')).toBe('true'); // only B's own is left

    for (const p of [onA, onB]) expect([p.errors, p.dialogs, p.cspViolations]).toEqual([[], [], []]);
  }, 90_000);

  it('updates only the reacted message in the page (a store, not a re-rendered list), and a typing signal no message at all', async () => {
    const onA = await openChat(browser, `${a.url}/#fine-room`);
    const onB = await openChat(browser, `${b.url}/#fine-room`);
    for (const text of ['first of three', 'second of three', 'third of three']) await send(onB.page, text);
    await message(onA.page, 'third of three').waitFor();
    // B is on the other instance: its join comes through the instance directory; let it arrive first.
    await onA.page.locator('.notice', { hasText: `${await myName(onB.page)} joined` }).waitFor();
    const target = await message(onA.page, 'second of three').getAttribute('data-offset');
    // Tag every message node, then record which nodes change from here on.
    await onA.page.evaluate(() => {
      const list = document.querySelector('.message-list') as HTMLElement;
      list.querySelectorAll('li').forEach((li, i) => li.setAttribute('data-tag', String(i)));
      const seen: string[] = [];
      (window as unknown as { touched: string[] }).touched = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target instanceof Element ? r.target : r.target.parentElement;
          const added = [...r.addedNodes].map((n) => (n instanceof Element ? n.className : n.nodeName)).join(',');
          seen.push(el?.closest('.message')?.getAttribute('data-offset') ?? `list:${el?.className}:${r.type}:${added}`);
        }
      }).observe(list, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await message(onB.page, 'second of three').getByRole('button', { name: 'Add a reaction' }).click();
    await onB.page.getByRole('button', { name: 'React with ✨' }).click();
    await chip(onA.page, 'second of three', '✨').waitFor();
    const typingLine = onA.page.getByTestId('typing');
    for (let i = 0; i < 40 && !(await typingLine.innerText()).includes('is typing'); i++) {
      await onB.page.getByRole('textbox', { name: /Message/ }).pressSequentially('m', { delay: 30 });
      await Bun.sleep(500);
    }
    expect(await typingLine.innerText()).toContain('is typing');
    await onA.page.screenshot({ path: `${SCREENSHOTS}typing-and-groups.png` });
    const touched = await onA.page.evaluate(() => [...new Set((window as unknown as { touched: string[] }).touched)]);
    expect(touched).toEqual([target as string]);
    const tags = await onA.page.evaluate(() => [...document.querySelectorAll('.message-list li')].map((li) => li.getAttribute('data-tag')));
    expect(tags.every((t) => t !== null)).toBe(true); // no node was replaced
  }, 60_000);

  it('shows who is typing on the other instance, and clears it when their message arrives', async () => {
    const onA = await openChat(browser, `${a.url}/#typing-room`);
    const onB = await openChat(browser, `${b.url}/#typing-room`);
    const nameA = await myName(onA.page);
    const field = onA.page.getByRole('textbox', { name: /Message/ });
    // Keep typing (a signal every 3 s at most) until B shows it: B's signal reader may still be joining.
    const line = onB.page.getByTestId('typing');
    const deadline = Date.now() + 20_000;
    while (!(await line.innerText()).includes(nameA) && Date.now() < deadline) {
      await field.pressSequentially('a', { delay: 50 });
      await Bun.sleep(500);
    }
    expect(await line.innerText()).toBe(`${nameA} is typing…`);
    expect(await onA.page.getByTestId('typing').innerText()).toBe(''); // never about myself
    await field.fill('');
    await send(onA.page, 'done typing');
    await message(onB.page, 'done typing').waitFor();
    expect(await line.innerText()).toBe('');
  }, 60_000);
});
