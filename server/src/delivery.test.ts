// Delivery guarantees through real servers on the real broker: a resume that overlaps heavy live
// traffic, a client too slow to read, and a send whose outcome Kafka leaves unknown.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Kafka, logLevel } from 'kafkajs';
import { CLOSE, RESUME_WINDOW, shouldReconnect } from '@anime-universe/protocol';
import type { ChatFrame } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { startKafkaProxy, type KafkaProxy } from './test-support/kafka-proxy.ts';
import { postChat } from './test-support/post-chat.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { waitFor } from './test-support/wait-for.ts';

let server: RunningServer;
let slowKafka: RunningServer;
let proxy: KafkaProxy;
let slowTopic: string;
const clients: TestClient[] = [];
const open = async (query: Record<string, string | number | undefined>, target = server) => {
  const c = await openClient(target.url, query);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  proxy = await startKafkaProxy(TEST_BROKERS.split(',')[0] as string);
  slowTopic = uniqueTopic('unknown');
  [server, slowKafka] = await Promise.all([
    startTestServer({ KAFKA_TOPIC: uniqueTopic('delivery'), WS_BACKPRESSURE_BYTES: '262144', HISTORY_PER_ROOM: '10000',
      FANOUT_MIN_AUDIENCE: '1', FANOUT_WINDOW_MS: '20', // every room paced, so joins meet held-back frames
      RATE_CONN_PER_SEC: '1000', RATE_CONN_BURST: '10000', RATE_IP_PER_SEC: '10000', RATE_IP_BURST: '100000' }),
    startTestServer({ KAFKA_TOPIC: slowTopic, KAFKA_SEND_TIMEOUT_MS: '300' }, { socketFactory: proxy.socketFactory }),
  ]);
}, 60_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([server?.stop(), slowKafka?.stop()]);
  await proxy?.close();
}, 60_000);

const health = async () => (await (await fetch(`${server.url}/health`)).json()) as { connections: number };

/** Sends `count` messages from `sender` at about `perSecond`, resolving when all are sent. */
async function stream(sender: TestClient, prefix: string, count: number, perSecond: number) {
  const every = 1000 / perSecond;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    sender.send({ type: 'chat', text: `${prefix} ${i}`, clientId: `${prefix}-${i}` });
    const due = started + (i + 1) * every;
    const wait = due - performance.now();
    if (wait > 1) await Bun.sleep(wait);
  }
}

describe('delivery', () => {
  it('gives a client that resumes or joins in the middle of heavy traffic every message once: no gap, no repeat', async () => {
    const room = 'busy-room';
    const observer = await open({ room });
    const senders = await Promise.all([1, 2, 3].map(() => open({ room })));
    await Promise.all([observer, ...senders].map((c) => c.next('welcome')));
    const me = await open({ room });
    const w = await me.next('welcome');
    const traffic = Promise.all(senders.map((s, i) => stream(s, `s${i}`, 300, 100))); // 300 msg/s in all
    await me.next('chat', (f) => f.text === 's0 50');
    me.close();
    await me.waitClosed();
    const seen = me.all('chat');
    const last = seen[seen.length - 1] as ChatFrame;
    await Bun.sleep(200); // messages flow on while it is away
    const back = await open({ room, token: w.token, since: last.offset, epoch: w.epoch });
    const bw = await back.next('welcome');
    expect(bw.recovered).toBe(true);
    await observer.next('chat', (f) => f.text === 's1 150');
    const late = await open({ room }); // a fresh join while frames are being held back
    const lw = await late.next('welcome');
    await traffic;
    await waitFor(() => observer.all('chat').length === 900, 'the observer to have all 900', 30_000);
    await waitFor(() => back.all('chat').at(-1)?.offset === observer.all('chat').at(-1)?.offset, 'the resumed client to catch up', 30_000);
    const resumed = [...seen, ...bw.history, ...back.all('chat')].map((m) => m.offset);
    expect(resumed).toEqual(observer.all('chat').map((m) => m.offset));
    await waitFor(() => late.all('chat').at(-1)?.offset === observer.all('chat').at(-1)?.offset, 'the late joiner to catch up', 30_000);
    const joined = [...lw.history, ...late.all('chat')].map((m) => m.offset);
    const all = observer.all('chat').map((m) => m.offset);
    expect(joined.length).toBeGreaterThan(lw.history.length); // it got live messages too
    expect(joined).toEqual(all.slice(all.indexOf(joined[0] as number)));
  }, 60_000);

  it('packs a burst into fewer WebSocket messages than frames, each message once and in offset order', async () => {
    // Default fan-out (no pacing): only the packing of what one tick publishes.
    const plain = await startTestServer({ KAFKA_TOPIC: uniqueTopic('packed'), RATE_CONN_PER_SEC: '1000', RATE_CONN_BURST: '10000', RATE_IP_PER_SEC: '10000', RATE_IP_BURST: '100000' });
    try {
      const room = 'packed-room';
      const observer = await open({ room }, plain);
      const senders = await Promise.all([1, 2, 3].map(() => open({ room }, plain)));
      await Promise.all([observer, ...senders].map((c) => c.next('welcome')));
      const before = observer.messages;
      // All at once: while one Kafka send is in flight the rest wait and are acknowledged together.
      senders.forEach((s, i) => {
        for (let n = 0; n < 100; n++) s.send({ type: 'chat', text: `p${i} ${n}`, clientId: `p${i}-${n}` });
      });
      await waitFor(() => observer.all('chat').length === 300, 'the observer to have all 300', 30_000);
      await Bun.sleep(200); // nothing more may follow
      const offsets = observer.all('chat').map((m) => m.offset);
      expect(offsets).toHaveLength(300);
      expect(new Set(observer.all('chat').map((m) => m.clientId)).size).toBe(300);
      for (let i = 1; i < offsets.length; i++) expect(offsets[i] as number).toBeGreaterThan(offsets[i - 1] as number);
      const messages = observer.messages - before;
      expect(messages).toBeLessThan(300);
      console.log(`  300 chat frames arrived in ${messages} WebSocket messages`);
    } finally {
      await plain.stop();
    }
  }, 60_000);

  it('closes a client too slow to read with the documented code; it resumes without loss', async () => {
    const room = 'slow-room';
    const observer = await open({ room });
    const ow = await observer.next('welcome');
    const before = (await health()).connections;
    const reader = Bun.spawn(['bun', new URL('./test-support/slow-reader.ts', import.meta.url).pathname, `${server.url.replace('http', 'ws')}/ws/chat?room=${room}`], {
      stdout: 'pipe', stderr: 'inherit',
    });
    const lines = (async () => {
      const text = await new Response(reader.stdout).text();
      return text.trim().split('\n').map((l) => JSON.parse(l) as { welcome?: boolean; code?: number; last?: number });
    })();
    await waitFor(async () => (await health()).connections === before + 1, 'the slow reader to connect');
    // Big messages (2 KB each) in rounds that a reader keeping up absorbs, until the runtime
    // gives up on the one that does not keep up.
    const sender = await open({ room });
    await sender.next('welcome');
    const text = '🌸'.repeat(490);
    let sent = 0;
    for (let round = 0; round < 150 && reader.exitCode === null; round++) {
      for (let i = 0; i < 50; i++, sent++) sender.send({ type: 'chat', text: `${text} ${sent}`, clientId: `slow-${sent}` });
      await observer.next('chat', (f) => f.clientId === `slow-${sent - 1}`, 'the round to arrive', 20_000);
    }
    await reader.exited;
    const end = (await lines).find((l) => l.code !== undefined);
    // The runtime closes without a close frame once the buffer passes the limit: 1006, "reconnect".
    expect(end?.code).toBe(CLOSE.slowConsumer.code);
    expect(shouldReconnect(end?.code as number)).toBe(true);
    expect(observer.closed).toBeUndefined(); // a reader that keeps up is not affected
    // It resumes from the last message it handled and gets exactly what it missed: the newest in
    // the welcome (at most a quarter of the backpressure limit), the rest in history pages that
    // wait for the socket to drain, so the resume never closes it again.
    const back = await open({ room, since: end?.last ?? -1, epoch: String(ow.epoch) });
    const bw = await back.next('welcome');
    if (bw.backfill) await back.next('history', (f) => f.remaining === 0, 'the last history page', 30_000);
    const all = observer.all('chat').map((m) => m.offset);
    const missed = all.slice(all.indexOf(end?.last as number) + 1);
    const got = [...back.all('history').toReversed().flatMap((p) => p.messages), ...bw.history].map((m) => m.offset);
    expect(missed.length).toBeGreaterThan(0);
    expect(bw.recovered).toBe(true);
    expect(bw.reset ?? false).toBe(missed.length > RESUME_WINDOW);
    expect(got).toEqual(missed.slice(-RESUME_WINDOW)); // every missed message (or the newest window), once, in order
    expect(JSON.stringify(bw).length).toBeLessThanOrEqual(262_144 / 4 + 2048);
    back.send({ type: 'ping', t: 9 });
    await back.next('pong');
    expect(back.closed).toBeUndefined();
  }, 180_000);

  it('answers "outcome unknown" when Kafka is slow past the deadline, and stores a retried clientId at most once', async () => {
    const body = { text: 'slow but sure', room: 'unknown-room', clientId: 'maybe-1', username: 'PatientOtter' };
    proxy.delayProduceReplies(1500);
    try {
      const first = await postChat(slowKafka.url, body);
      expect(first.status).toBe(503);
      expect(((await first.json()) as { error: { code: string } }).error.code).toBe('outcome_unknown');
      const retry = await postChat(slowKafka.url, body); // while the first is still in flight
      expect([200, 503]).toContain(retry.status);
    } finally {
      proxy.delayProduceReplies(0);
    }
    const settled = await waitFor(async () => {
      const res = await postChat(slowKafka.url, body);
      return res.status === 200 ? ((await res.json()) as { id: string; offset: number }) : undefined;
    }, 'the retry to be answered with the stored message', 15_000);
    // The topic read back holds the message exactly once.
    const kafka = new Kafka({ clientId: 'reader', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `reader-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
    const values: Array<{ clientId?: string; id: string }> = [];
    await reader.connect();
    await reader.subscribe({ topics: [slowTopic], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void values.push(JSON.parse(String(message.value))) });
    await Bun.sleep(1500);
    await reader.disconnect();
    expect(values.filter((v) => v.clientId === 'maybe-1').map((v) => v.id)).toEqual([settled.id]);
  }, 60_000);
});
