import { afterAll, describe, expect, it } from 'bun:test';
import { Kafka, logLevel } from 'kafkajs';
import { encodeChatRecord, type ChatMessage } from '@anime-universe/protocol';
import { silentLogger } from '../log.ts';
import { TEST_BROKERS, uniqueTopic } from '../test-support/test-server.ts';
import { waitFor } from '../test-support/wait-for.ts';
import { startKafkaProxy } from '../test-support/kafka-proxy.ts';
import { startKafka, type KafkaParts, type KafkaSettings } from './kafka-log.ts';
import { ensureTopic } from './topic.ts';

const kafka = new Kafka({ clientId: 'test', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const logs: KafkaParts[] = [];
afterAll(async () => {
  await Promise.all(logs.map((l) => l.stop()));
  await admin.disconnect();
});

function start(topic: string, extra: Pick<KafkaSettings, 'socketFactory'> = {}) {
  const got: Array<{ message: ChatMessage; partition: number }> = [];
  const instanceId = crypto.randomUUID().slice(0, 8);
  const parts = startKafka({
    brokers: TEST_BROKERS.split(','), clientId: 'test', instanceId, topic,
    partitions: 3, replicationFactor: 1, retentionMs: 3_600_000, sendTimeoutMs: 5000, maxQueuedSends: 10_000,
    ...extra,
  }, silentLogger);
  parts.messages.subscribe((partition, messages) => {
    for (const message of messages) got.push({ message, partition });
  });
  logs.push(parts);
  return { log: parts.messages, got, parts, groupId: `test-${instanceId}` };
}

const record = (room: string, text: string) => ({
  id: crypto.randomUUID(), room, username: 'SleepyKitsune', text, timestamp: new Date().toISOString(),
});

describe('ensureTopic', () => {
  it('creates the topic with the chosen partitions and retention, and is harmless the second time', async () => {
    const topic = uniqueTopic('ensure');
    const settings = { topic, partitions: 3, replicationFactor: 1, retentionMs: 86_400_000 };
    expect(await ensureTopic(admin, settings, silentLogger)).toBe(true);
    expect(await ensureTopic(admin, settings, silentLogger)).toBe(false);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]?.partitions).toHaveLength(3);
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }] });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('86400000');
  });
});

describe('the Kafka message log', () => {
  it('resolves a read barrier only once a record another instance stored before it has reached the listeners; the marker is no message', async () => {
    const topic = uniqueTopic('barrier');
    const { log, got } = start(topic);
    await waitFor(() => log.status().state === 'ready' && log.status().caughtUp, 'the log to be ready', 20_000);
    const elsewhere = kafka.producer();
    await elsewhere.connect();
    try {
      const other = record('barrier-room', 'stored through another instance');
      await elsewhere.send({ topic, acks: -1, messages: [{ key: 'barrier-room', value: encodeChatRecord(other) }] });
      await log.barrier('barrier-room');
      expect(got.map((g) => g.message.id)).toEqual([other.id]);
      await Promise.all([log.barrier('barrier-room'), log.barrier('barrier-room')]); // requests in one tick share a marker
      await Bun.sleep(300);
      expect(got).toHaveLength(1); // markers are skipped, never delivered as messages
      const [end] = (await admin.fetchTopicOffsets(topic)).filter((p) => p.partition === got[0]?.partition);
      expect(Number(end?.high) - Number(end?.low)).toBe(3); // the message and two markers
    } finally {
      await elsewhere.disconnect();
    }
  }, 30_000);

  it('commits its positions about once a second, not once per fetched batch, and reaches the end', async () => {
    const OFFSET_COMMIT = 8;
    const proxy = await startKafkaProxy(TEST_BROKERS.split(',')[0] as string);
    const topic = uniqueTopic('commits');
    const { log, got, groupId, parts } = start(topic, { socketFactory: proxy.socketFactory });
    try {
      await waitFor(() => log.status().state === 'ready', 'the log to connect');
      const before = proxy.requests(OFFSET_COMMIT);
      const started = performance.now();
      for (let i = 0; i < 60; i++) { // one at a time: each its own produce and its own fetched batch
        await log.publish(record('spirit-forest', `m${i}`)).answer;
        await waitFor(() => got.length === i + 1, 'the message to be consumed');
      }
      const seconds = (performance.now() - started) / 1000;
      expect(proxy.requests(OFFSET_COMMIT) - before).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
      const last = got[got.length - 1] as { message: ChatMessage; partition: number };
      await waitFor(async () => {
        const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return Number(t?.partitions.find((p) => p.partition === last.partition)?.offset) === last.message.offset + 1;
      }, 'the committed position to reach the end', 5000);
    } finally {
      logs.splice(logs.indexOf(parts), 1);
      await parts.stop();
      await proxy.close();
    }
  }, 30_000);

  it('round-trips messages: key = room, value = JSON, offsets increasing, consumed in order', async () => {
    const topic = uniqueTopic('roundtrip');
    const { log, got } = start(topic);
    await waitFor(() => log.status().state === 'ready', 'the log to connect');
    const sent = [record('isekai-tavern', 'one'), record('isekai-tavern', 'two'), record('isekai-tavern', 'three')];
    const offsets: number[] = [];
    for (const r of sent) offsets.push((await log.publish(r).answer).offset);
    expect(offsets[1]).toBeGreaterThan(offsets[0] as number);
    expect(offsets[2]).toBeGreaterThan(offsets[1] as number);

    await waitFor(() => got.length === 3, 'three consumed messages');
    expect(got.map((g) => g.message.text)).toEqual(['one', 'two', 'three']);
    expect(got.map((g) => g.message.offset)).toEqual(offsets);

    // An independent consumer sees exactly what kcat or Control Center would.
    const raw: Array<{ key: string; value: string }> = [];
    const reader = kafka.consumer({ groupId: `reader-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void raw.push({ key: String(message.key), value: String(message.value) }) });
    await waitFor(() => raw.length === 3, 'the raw records');
    await reader.disconnect();
    for (const [i, r] of raw.entries()) {
      expect(r.key).toBe('isekai-tavern');
      const value = JSON.parse(r.value);
      expect(value).toEqual(sent[i] as object);
      expect(value.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('skips records that do not decode and keeps consuming', async () => {
    const topic = uniqueTopic('poison');
    const { log, got } = start(topic);
    await waitFor(() => log.status().state === 'ready', 'the log to connect');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [
      { key: 'lobby', value: 'not json at all' },
      { key: 'lobby', value: JSON.stringify({ id: 'x', room: 'lobby' }) },
      { key: 'other-room', value: JSON.stringify(record('lobby', 'key does not match room')) },
    ] });
    await producer.disconnect();
    await log.publish(record('lobby', 'after the bad ones')).answer;
    await waitFor(() => got.length === 1, 'the good message after the poison records');
    expect(got[0]?.message.text).toBe('after the bad ones');
  });

  it('reports caught up once it has read the existing log', async () => {
    const { log } = start(uniqueTopic('caughtup'));
    await waitFor(() => log.status().caughtUp, 'the log to catch up', 15_000);
  });

  it('sends what waits together and tells every message its own offset, in order per room', async () => {
    const topic = uniqueTopic('groupcommit');
    const { log, got } = start(topic);
    await waitFor(() => log.status().state === 'ready', 'the log to connect');
    const rooms = ['lobby', 'mecha-hangar', 'spirit-forest', 'isekai-tavern'];
    const records = Array.from({ length: 400 }, (_, i) => record(rooms[i % rooms.length] as string, `m${i}`));
    const stored = await Promise.all(records.map((r) => log.publish(r).answer));
    await waitFor(() => got.length === records.length, 'every message consumed');
    const byId = new Map(got.map((g) => [g.message.id, g]));
    records.forEach((r, i) => {
      const consumed = byId.get(r.id);
      expect(consumed?.message.offset).toBe(stored[i]?.offset as number);
      expect(consumed?.partition).toBe(stored[i]?.partition as number);
    });
    for (const room of rooms) {
      const texts = got.filter((g) => g.message.room === room).map((g) => Number(g.message.text.slice(1)));
      expect(texts).toEqual([...texts].sort((a, b) => a - b));
    }
    // Exactly one record per message.
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(records.length);
  });

  it('keeps its epoch across restarts and gets a new one when the topic is recreated', async () => {
    const topic = uniqueTopic('epoch');
    const first = start(topic);
    await waitFor(() => first.log.status().state === 'ready', 'the log to connect');
    const epoch = first.log.epoch();
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
    await first.parts.stop();
    const again = start(topic);
    await waitFor(() => again.log.status().state === 'ready', 'the log to reconnect');
    expect(again.log.epoch()).toBe(epoch);
    await again.parts.stop();
    await admin.deleteTopics({ topics: [topic] });
    await waitFor(async () => !(await admin.listTopics()).includes(topic), 'the topic to be deleted');
    const recreated = start(topic);
    await waitFor(() => recreated.log.status().state === 'ready', 'the log on the new topic', 20_000);
    expect(recreated.log.epoch()).not.toBe(epoch);
  });
});
