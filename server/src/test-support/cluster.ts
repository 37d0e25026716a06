// A local three-node KRaft cluster for fault drills (scripts/kafka.sh with KAFKA_NODES=3): node i
// listens on port + 2(i-1). Per-node kill/start, and the topic read back independently of the
// server with a throwaway consumer group.
import { rmSync } from 'node:fs';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { partitionFor } from '../kafka/partition.ts';
import { waitFor } from './wait-for.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

export interface StoredRecord {
  partition: number;
  offset: number;
  /** Absent for chat messages; "marker" for a read barrier's marker. */
  type?: string;
  room?: string;
  clientId?: string;
}

export interface TestCluster {
  brokers: string[];
  admin: Admin;
  /** Starts a fresh cluster (old data removed) and connects the admin client. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGKILL one node (1-based node id). */
  killNode(node: number): Promise<void>;
  startNode(node: number): Promise<void>;
  /** The node id of the leader of the partition a room is stored on. */
  leaderOf(topic: string, room: string): Promise<number>;
  /** Every record of the topic (messages and markers), read back from the beginning. */
  readTopic(topic: string): Promise<StoredRecord[]>;
}

export function testCluster(port: number): TestCluster {
  const brokers = [0, 1, 2].map((i) => `127.0.0.1:${port + 2 * i}`);
  const kafka = new Kafka({ clientId: 'drill-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const script = async (...args: string[]) => {
    const proc = Bun.spawn([`${ROOT}scripts/kafka.sh`, ...args], {
      env: { ...process.env, KAFKA_PORT: String(port), KAFKA_NODES: '3', KAFKA_HEAP: '384m' }, stdout: 'pipe', stderr: 'pipe',
    });
    if ((await proc.exited) !== 0) throw new Error(`kafka.sh ${args.join(' ')} failed: ${await new Response(proc.stderr).text()}`);
  };
  return {
    brokers,
    admin,
    async start() {
      await script('stop');
      rmSync(`${ROOT}.kafka/cluster-${port}`, { recursive: true, force: true });
      await script('start');
      await admin.connect();
    },
    async stop() {
      await admin.disconnect().catch(() => {});
      await script('stop');
    },
    killNode: (node) => script('kill-node', String(node)),
    startNode: (node) => script('start-node', String(node)),
    async leaderOf(topic, room) {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = meta.topics[0]?.partitions ?? [];
      const leader = partitions.find((p) => p.partitionId === partitionFor(room, partitions.length))?.leader;
      if (leader === undefined || leader < 0) throw new Error(`no leader for ${room}'s partition`);
      return leader;
    },
    async readTopic(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const out: StoredRecord[] = [];
      const consumer = kafka.consumer({ groupId: `drill-${crypto.randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const value = JSON.parse(message.value?.toString() ?? '{}') as { type?: string; room?: string; clientId?: string };
          out.push({ partition, offset: Number(message.offset), type: value.type, room: value.room, clientId: value.clientId });
        },
      });
      await waitFor(() => out.length >= total, 'the whole topic to be read back', 60_000);
      await consumer.disconnect();
      return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    },
  };
}
