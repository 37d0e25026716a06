// The read model against the real broker: a week's worth of a room is there for a resume, a
// restart picks up from the stored positions without reading the log again, and a deleted
// database is rebuilt from the log with the same answers.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { encodeChatRecord, type WelcomeFrame } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { openClient } from './test-support/ws-client.ts';

const topic = uniqueTopic('history');
const dir = mkdtempSync(`${tmpdir()}/history-`);
const env = { KAFKA_TOPIC: topic, INSTANCE_ID: `h${crypto.randomUUID().slice(0, 6)}`, HISTORY_DB: `${dir}/history.sqlite` };
const ROOM = 'long-room';
const TOTAL = 1200;
let epoch = '';
let firstOffset = 0;

/** Chat records written straight to the topic, as other instances would have over a week. */
async function writeRecords() {
  const kafka = new Kafka({ clientId: 'history-writer', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: TOTAL }, (_, i) => ({
    key: ROOM,
    value: encodeChatRecord({ id: `m-${i}`, room: ROOM, username: 'PatientOtter', text: `line ${i}`, timestamp: new Date().toISOString() }),
  }));
  for (let i = 0; i < messages.length; i += 300) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 300) });
  await producer.disconnect();
}

const consumed = async (s: RunningServer) => Number(/^chat_messages_consumed_total (\d+)$/m.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1]);

async function resumeFrom(s: RunningServer, since: number): Promise<WelcomeFrame> {
  const c = await openClient(s.url, { room: ROOM, since, epoch });
  const w = await c.next('welcome');
  c.close();
  return w;
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
  let answer: WelcomeFrame;

  it('gives a client that missed 1,000 messages every one of them, in order, after building itself from the log', async () => {
    const s = await startTestServer(env);
    try {
      const fresh = await openClient(s.url, { room: ROOM });
      const w = await fresh.next('welcome');
      fresh.close();
      firstOffset = (w.history.at(-1)?.offset ?? 0) - (TOTAL - 1);
      answer = await resumeFrom(s, firstOffset + 199); // 1,000 messages behind
      expect(answer.recovered).toBe(true);
      expect(answer.history.map((m) => m.text)).toEqual(Array.from({ length: 1000 }, (_, i) => `line ${200 + i}`));
      expect(await consumed(s)).toBe(TOTAL);
    } finally {
      await s.stop();
    }
  }, 60_000);

  it('restarts from its stored positions without reading the log again, with the same answers', async () => {
    const s = await startTestServer(env);
    try {
      const again = await resumeFrom(s, firstOffset + 199);
      expect(again.recovered).toBe(true);
      expect(again.history).toEqual(answer.history);
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
      const again = await resumeFrom(s, firstOffset + 199);
      expect(again.recovered).toBe(true);
      expect(again.history).toEqual(answer.history);
      expect(await consumed(s)).toBe(TOTAL);
    } finally {
      await s.stop();
    }
  }, 60_000);
});
