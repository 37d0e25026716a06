// The instance directory on the real test broker: names travel as one small record each, a
// restarted instance clears what its crashed predecessor left, and long-silent instances are
// removed from the topic by whoever is alive.
import { afterAll, describe, expect, it } from 'bun:test';
import type { Producer } from 'kafkajs';
import { silentLogger } from '../log.ts';
import { TEST_BROKERS, uniqueTopic } from '../test-support/test-server.ts';
import { waitFor } from '../test-support/wait-for.ts';
import { busiestRooms, makeInstanceDirectory, type DirectorySettings, type InstanceDirectory, type OwnState } from './instance-directory.ts';
import { makeKafkaClient } from './kafka-client.ts';

const kafka = makeKafkaClient('directory-test', TEST_BROKERS.split(','), silentLogger);
const admin = kafka.admin();
const opened: Array<{ dir: InstanceDirectory; producer: Producer; crashed: boolean }> = [];

async function directory(topic: string, instanceId: string, own: OwnState, extra: Partial<DirectorySettings> = {}) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await admin.connect();
  const dir = makeInstanceDirectory(kafka, admin, producer, {
    topic, instanceId, groupId: `g-${instanceId}`, intervalMs: 300, staleMs: 2000, replicationFactor: 1, namesIntervalMs: 100, ...extra,
  }, silentLogger);
  const entry = { dir, producer, crashed: false };
  opened.push(entry);
  await dir.start();
  dir.announce(() => own);
  return {
    dir,
    /** The process dies: nothing more reaches Kafka and nothing is cleaned up. */
    async crash() {
      entry.crashed = true;
      await producer.disconnect();
    },
  };
}

async function readBack(topic: string): Promise<Array<{ key: string; bytes: number | null }>> {
  const [end] = await admin.fetchTopicOffsets(topic);
  const out: Array<{ key: string; bytes: number | null }> = [];
  const consumer = kafka.consumer({ groupId: `read-${crypto.randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void out.push({ key: message.key?.toString() ?? '', bytes: message.value?.length ?? null }) });
  await waitFor(() => out.length >= Number(end?.high ?? 0), 'the directory topic to be read back', 30_000);
  await consumer.disconnect();
  return out;
}

afterAll(async () => {
  for (const o of opened) if (!o.crashed) await o.dir.stop().catch(() => {});
  for (const o of opened) await o.producer.disconnect().catch(() => {});
  await admin.disconnect();
}, 60_000);

describe('the instance directory', () => {
  it('publishes each name online as its own small record, so 60,000 names reach other instances (one record would pass 1 MB)', async () => {
    const topic = uniqueTopic('directory-names');
    const names = new Set(Array.from({ length: 60_000 }, (_, i) => `SomeoneRatherLongNamed${i}`));
    await directory(topic, 'big', { connections: names.size, rooms: { lobby: names.size }, names });
    const { dir: other } = await directory(topic, 'other', { connections: 0, rooms: {}, names: [] });
    await waitFor(() => other.onlineElsewhere('SomeoneRatherLongNamed59999'), 'the last name to be seen by the other instance', 30_000);
    expect(other.onlineElsewhere('SomeoneRatherLongNamed0')).toBe(true);
    expect(other.list().find((i) => i.id === 'big')?.connections).toBe(60_000);

    // A name that leaves is tombstoned; the rest stay.
    names.delete('SomeoneRatherLongNamed7');
    await waitFor(() => !other.onlineElsewhere('SomeoneRatherLongNamed7'), 'the name that left to be gone elsewhere');
    expect(other.onlineElsewhere('SomeoneRatherLongNamed8')).toBe(true);

    const records = await readBack(topic);
    const largest = Math.max(...records.map((r) => r.bytes ?? 0));
    expect(largest).toBeLessThan(1024);
    expect(records.filter((r) => r.key.startsWith('big/')).length).toBeGreaterThanOrEqual(60_001);
    expect(records.find((r) => r.key === 'big/SomeoneRatherLongNamed7' && r.bytes === null)).toBeDefined();
  }, 90_000);

  it('lists only the busiest rooms of an instance with very many rooms, and how many were left out', () => {
    const rooms = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`room-${i}`, i]));
    const listed = busiestRooms(rooms);
    expect(Object.keys(listed.rooms)).toHaveLength(1000);
    expect(listed.otherRooms).toBe(500);
    expect(listed.rooms['room-1499']).toBe(1499);
    expect(listed.rooms['room-0']).toBeUndefined();
    expect(busiestRooms({ lobby: 3 })).toEqual({ rooms: { lobby: 3 } });
  });

  it('clears the names a crashed instance left when it restarts with the same id', async () => {
    const topic = uniqueTopic('directory-restart');
    const first = await directory(topic, 'crashy', { connections: 2, rooms: { lobby: 2 }, names: ['Yuki', 'Haru'] });
    const { dir: other } = await directory(topic, 'watcher', { connections: 0, rooms: {}, names: [] });
    await waitFor(() => other.onlineElsewhere('Yuki') && other.onlineElsewhere('Haru'), 'both names to be seen');
    await first.crash();
    await directory(topic, 'crashy', { connections: 1, rooms: { lobby: 1 }, names: ['Haru'] });
    await waitFor(() => !other.onlineElsewhere('Yuki'), 'the name the crashed instance left to be cleared');
    expect(other.onlineElsewhere('Haru')).toBe(true);
  }, 60_000);

  it('removes an instance silent for long from the topic, names and all', async () => {
    const topic = uniqueTopic('directory-forget');
    const gone = await directory(topic, 'gone', { connections: 1, rooms: { lobby: 1 }, names: ['Sora'] });
    await directory(topic, 'janitor', { connections: 0, rooms: {}, names: [] }, { forgetAfterMs: 1500 });
    await gone.crash();
    await waitFor(async () => {
      const records = await readBack(topic);
      return records.some((r) => r.key === 'gone' && r.bytes === null) && records.some((r) => r.key === 'gone/Sora' && r.bytes === null);
    }, 'tombstones for the silent instance and its name', 20_000);
    // A directory started now does not know the silent instance at all.
    const { dir: late } = await directory(topic, 'late', { connections: 0, rooms: {}, names: [] });
    expect(late.onlineElsewhere('Sora')).toBe(false);
    expect(late.list().map((i) => i.id)).not.toContain('gone');
  }, 60_000);
});
