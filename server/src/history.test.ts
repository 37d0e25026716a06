// The read model against the real broker: a week's worth of a room is there for a resume, a
// restart picks up from the stored positions without reading the log again, and a deleted
// database is rebuilt from the log with the same answers.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { encodeChatRecord, type ChatMessage, type WelcomeFrame } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { openClient } from './test-support/ws-client.ts';

const topic = uniqueTopic('history');
const dir = mkdtempSync(`${tmpdir()}/history-`);
const env = { KAFKA_TOPIC: topic, INSTANCE_ID: `h${crypto.randomUUID().slice(0, 6)}`, HISTORY_DB: `${dir}/history.sqlite` };
const ROOM = 'long-room';
const TOTAL = 2600;
const OTHERS = 2400; // 5,000 records in all
let epoch = '';
let firstOffset = 0;

/** Chat records written straight to the topic, as other instances would have over a week. */
async function writeRecords() {
  const kafka = new Kafka({ clientId: 'history-writer', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const record = (room: string, id: string, text: string) => ({
    key: room, value: encodeChatRecord({ id, room, username: 'PatientOtter', text, timestamp: new Date().toISOString() }),
  });
  // The long room first (its offsets are contiguous), then OTHERS more across 12 other rooms.
  const messages = [
    ...Array.from({ length: TOTAL }, (_, i) => record(ROOM, `m-${i}`, `line ${i}`)),
    ...Array.from({ length: OTHERS }, (_, i) => record(`side-room-${i % 12}`, `o-${i}`, `side line ${i}`)),
  ];
  for (let i = 0; i < messages.length; i += 300) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 300) });
  await producer.disconnect();
}

const consumed = async (s: RunningServer) => Number(/^chat_messages_consumed_total (\d+)$/m.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1]);

interface Answer {
  welcome: WelcomeFrame;
  /** The welcome's history and the pages after it, in offset order. */
  messages: ChatMessage[];
  pages: number;
}

async function resumeFrom(s: RunningServer, since: number): Promise<Answer> {
  const c = await openClient(s.url, { room: ROOM, since, epoch });
  const welcome = await c.next('welcome');
  if (welcome.backfill) await c.next('history', (f) => f.remaining === 0, 'the last history page');
  c.close();
  const pages = c.all('history');
  expect(pages.reduce((n, p) => n + p.messages.length, 0)).toBe(welcome.backfill ?? 0);
  for (const p of pages) expect(JSON.stringify(p).length).toBeLessThan(70_000); // no huge frame
  return { welcome, messages: [...pages.toReversed().flatMap((p) => p.messages), ...welcome.history], pages: pages.length };
}

beforeAll(async () => {
  const first = await startTestServer(env); // creates the topic and its epoch
  const c = await openClient(first.url, { room: ROOM });
  epoch = (await c.next('welcome')).epoch;
  c.close();
  await first.stop();
  await writeRecords();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the history read model', () => {
  let answer: Answer;

  it('gives a client that missed 1,000 messages every one of them, in order, in the welcome and pages after it, after building itself from the log', async () => {
    const s = await startTestServer(env);
    try {
      const fresh = await openClient(s.url, { room: ROOM });
      const w = await fresh.next('welcome');
      fresh.close();
      firstOffset = (w.history.at(-1)?.offset ?? 0) - (TOTAL - 1);
      answer = await resumeFrom(s, firstOffset + TOTAL - 1001); // 1,000 messages behind
      expect(answer.welcome.recovered).toBe(true);
      expect(answer.welcome.reset).toBeUndefined();
      expect(answer.pages).toBeGreaterThan(0); // more than one welcome holds
      expect(answer.messages.map((m) => m.text)).toEqual(Array.from({ length: 1000 }, (_, i) => `line ${TOTAL - 1000 + i}`));
      expect(await consumed(s)).toBe(TOTAL + OTHERS);

      // 2,590 behind, more than a resume sends: the newest 2,000, to replace the client's view.
      const far = await resumeFrom(s, firstOffset + 9);
      expect(far.welcome).toMatchObject({ recovered: true, reset: true });
      expect(far.messages.map((m) => m.text)).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${TOTAL - 2000 + i}`));
    } finally {
      await s.stop();
    }
  }, 60_000);

  it('restarts from its stored positions without reading the log again, with the same answers', async () => {
    const s = await startTestServer(env);
    try {
      const again = await resumeFrom(s, firstOffset + TOTAL - 1001);
      expect(again.welcome.recovered).toBe(true);
      expect(again.messages).toEqual(answer.messages);
      const fresh = await openClient(s.url, { room: ROOM });
      const w = await fresh.next('welcome');
      fresh.close();
      expect(w.history.map((m) => m.text).at(-1)).toBe(`line ${TOTAL - 1}`); // recent history straight from the database
      expect(w.history).toHaveLength(50);
      expect(await consumed(s)).toBe(0);
    } finally {
      await s.stop();
    }
  }, 60_000);

  it('rebuilds a deleted database from the log, with the same answers', async () => {
    rmSync(dir, { recursive: true, force: true });
    const s = await startTestServer(env);
    try {
      const again = await resumeFrom(s, firstOffset + TOTAL - 1001);
      expect(again.welcome.recovered).toBe(true);
      expect(again.messages).toEqual(answer.messages);
      expect(await consumed(s)).toBe(TOTAL + OTHERS);
    } finally {
      await s.stop();
    }
  }, 60_000);
});
