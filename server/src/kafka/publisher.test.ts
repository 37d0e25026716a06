// The publisher against a real broker, through a proxy that loses and delays produce replies.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Kafka, logLevel } from 'kafkajs';
import { silentLogger } from '../log.ts';
import { startKafkaProxy, type KafkaProxy } from '../test-support/kafka-proxy.ts';
import { TEST_BROKERS, uniqueTopic } from '../test-support/test-server.ts';
import { makeKafkaClient } from './kafka-client.ts';
import { PublishError } from './message-log.ts';
import { makePublisher, type Publisher } from './publisher.ts';
import { ensureTopic } from './topic.ts';

const broker = TEST_BROKERS.split(',')[0] as string;
const direct = new Kafka({ clientId: 'test', brokers: [broker], logLevel: logLevel.NOTHING });
const admin = direct.admin();
let proxy: KafkaProxy;
const publishers: Publisher[] = [];

beforeAll(async () => {
  await admin.connect();
  proxy = await startKafkaProxy(broker);
});
afterAll(async () => {
  await Promise.all(publishers.map((p) => p.stop()));
  await proxy.close();
  await admin.disconnect();
});

async function publisherOn(topic: string, settings: { deadlineMs?: number; maxQueue?: number } = {}) {
  await ensureTopic(admin, { topic, partitions: 3, replicationFactor: 1, retentionMs: 3_600_000 }, silentLogger);
  const kafka = makeKafkaClient('test', [broker], silentLogger, proxy.socketFactory);
  const publisher = makePublisher(kafka, {
    topic, deadlineMs: settings.deadlineMs ?? 5000, maxQueue: settings.maxQueue ?? 10_000, maxBatchBytes: 512 * 1024,
  }, silentLogger);
  publishers.push(publisher);
  await publisher.connect(3);
  return publisher;
}

const records = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);

describe('the publisher', () => {
  it('stores a message once when Kafka\'s reply to the produce is lost, and confirms it once', async () => {
    const topic = uniqueTopic('lost-reply');
    const publisher = await publisherOn(topic);
    proxy.loseNextProduceReply();
    const confirmations: number[] = [];
    const { answer, outcome } = publisher.publish('lobby', JSON.stringify({ text: 'once' }), Date.now());
    answer.then((s) => confirmations.push(s.offset));
    const stored = await outcome;
    await Bun.sleep(200); // a second confirmation would arrive here
    expect(confirmations).toEqual([stored.offset]);
    expect(stored.offset).toBe(0);
    expect(await records(topic)).toBe(1);
    // The producer still works afterwards, continuing the same partition.
    const next = await publisher.publish('lobby', JSON.stringify({ text: 'next' }), Date.now()).answer;
    expect(next).toEqual({ partition: stored.partition, offset: 1 });
    expect(await records(topic)).toBe(2);
  });

  it('sends everything that waits while a send is in flight together, each with its own offset', async () => {
    const topic = uniqueTopic('group-commit');
    const publisher = await publisherOn(topic);
    const before = proxy.produceRequests();
    const rooms = ['lobby', 'mecha-hangar', 'spirit-forest'];
    const stored = await Promise.all(Array.from({ length: 300 }, (_, i) =>
      publisher.publish(rooms[i % 3] as string, JSON.stringify({ i }), Date.now()).answer));
    expect(proxy.produceRequests() - before).toBeLessThanOrEqual(10);
    for (const room of rooms) {
      const mine = stored.filter((_, i) => rooms[i % 3] === room);
      expect(new Set(mine.map((s) => s.partition)).size).toBe(1);
      expect(mine.map((s) => s.offset)).toEqual(mine.map((_, i) => (mine[0]?.offset ?? 0) + i));
    }
    expect(await records(topic)).toBe(300);
  });

  it('answers "unknown" at the deadline while Kafka is slow, then learns the real offset', async () => {
    const topic = uniqueTopic('slow');
    const publisher = await publisherOn(topic, { deadlineMs: 300 });
    proxy.delayProduceReplies(1500);
    try {
      const { answer, outcome } = publisher.publish('lobby', 'slow', Date.now());
      const failure = await answer.then(() => undefined, (e: PublishError) => e);
      expect(failure).toBeInstanceOf(PublishError);
      expect(failure?.kind).toBe('unknown');
      expect((await outcome).offset).toBe(0);
    } finally {
      proxy.delayProduceReplies(0);
    }
    expect(await records(topic)).toBe(1);
  });

  it('refuses at once with "busy" when the queue is full, and "unavailable" before it is connected', async () => {
    const topic = uniqueTopic('full');
    const publisher = await publisherOn(topic, { maxQueue: 5 });
    proxy.delayProduceReplies(500);
    try {
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => publisher.publish('lobby', 'x', Date.now()).answer));
      const busy = results.filter((r) => r.status === 'rejected' && (r.reason as PublishError).kind === 'busy');
      expect(busy.length).toBeGreaterThan(0);
      expect(results.filter((r) => r.status === 'fulfilled').length + busy.length).toBe(20);
    } finally {
      proxy.delayProduceReplies(0);
    }
    expect(publisher.connected()).toBe(true);
    const unconnected = makePublisher(direct, { topic, deadlineMs: 1000, maxQueue: 10, maxBatchBytes: 1024 }, silentLogger);
    expect(unconnected.connected()).toBe(false); // /health reports not ready until a producer is connected
    const refused = await unconnected.publish('lobby', 'x', Date.now()).answer.catch((e: PublishError) => e.kind);
    expect(refused).toBe('unavailable');
    await unconnected.stop();
  });
});
