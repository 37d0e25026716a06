// The built-in Kafka monitor page in real Chromium against a real server and broker.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/server.ts';
import { postChat } from '../../server/src/test-support/post-chat.ts';
import { startTestServer, uniqueTopic } from '../../server/src/test-support/test-server.ts';
import { CLIENT_DIST, launch, SCREENSHOTS } from './browser.ts';

let browser: Browser;
let server: RunningServer;
let guarded: RunningServer;
const instance = `mon${crypto.randomUUID().slice(0, 6)}`;
const page = async (url: string, viewport = { width: 1280, height: 900 }) => {
  const context = await browser.newContext({ viewport, colorScheme: 'dark', reducedMotion: 'reduce' });
  const p = await context.newPage();
  await p.goto(url);
  return p;
};

beforeAll(async () => {
  [browser, server, guarded] = await Promise.all([
    launch(),
    startTestServer({ KAFKA_TOPIC: uniqueTopic('monitor-page'), CLIENT_DIST, INSTANCE_ID: instance, INSTANCE_STATS_INTERVAL_MS: '500' }),
    startTestServer({ KAFKA_TOPIC: uniqueTopic('monitor-page-guarded'), CLIENT_DIST, MONITOR_TOKEN: 'page-secret-42' }),
  ]);
  for (let i = 0; i < 5; i++) {
    await postChat(server.url, { text: `m${i}`, room: `room-${i % 2}` });
  }
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), guarded?.stop()]);
}, 60_000);

describe('/monitor', () => {
  it('shows partitions with offsets, this instance\'s consumer group, throughput and produce latency', async () => {
    const p = await page(`${server.url}/monitor`);
    await p.locator('[data-testid="kafka-state"]', { hasText: 'ready' }).waitFor();
    const partitions = p.getByRole('table', { name: 'Partitions' }).locator('tbody tr');
    expect(await partitions.count()).toBe(3);
    const messages = await partitions.evaluateAll((rows) => rows.reduce((n, r) => n + Number(r.querySelector('td:last-child')?.textContent), 0));
    expect(messages).toBe(5);
    await p.getByRole('table', { name: /Consumer groups/ }).locator('tr', { hasText: `anime-universe-${instance}` }).waitFor();
    await p.getByRole('table', { name: /Connections per instance/ }).locator(`tr[data-instance="${instance}"]`).waitFor();
    expect(await p.locator('[data-testid="latency"]').innerText()).toMatch(/^\d+\.\d \/ \d+\.\d \/ \d+\.\d ms$/);
    expect(await p.locator('.chart path.line').getAttribute('d')).toMatch(/^M0\.0,/);
    await p.waitForFunction(() => Number(document.querySelector('[data-testid="rate-now"]')?.textContent) > 0);
    await p.screenshot({ path: `${SCREENSHOTS}monitor.png`, fullPage: true });
  });

  it('is readable on a phone without sideways scrolling', async () => {
    const p = await page(`${server.url}/monitor`, { width: 390, height: 844 });
    await p.locator('[data-testid="kafka-state"]').waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.screenshot({ path: `${SCREENSHOTS}monitor-phone.png`, fullPage: true });
  });

  it('asks for the token when MONITOR_TOKEN is set, and shows the data with it', async () => {
    const denied = await page(`${guarded.url}/monitor`);
    await denied.getByRole('alert').filter({ hasText: 'MONITOR_TOKEN' }).waitFor();
    expect(await denied.locator('[data-testid="kafka-state"]').count()).toBe(0);
    const allowed = await page(`${guarded.url}/monitor#token=page-secret-42`);
    await allowed.locator('[data-testid="kafka-state"]').waitFor();
    expect(allowed.url()).not.toContain('page-secret-42'); // the token leaves the address bar
  });
});
