// What the monitor shows about Kafka: the topic's partitions with low/high offsets, the
// consumer groups reading it with their lag, and the broker count. Admin calls only.
import type { Admin } from 'kafkajs';

export interface KafkaInspection {
  topic: string;
  brokers: number;
  partitions: Array<{ partition: number; low: number; high: number }>;
  groups: Array<{ groupId: string; state: string; members: number; lag: number }>;
}

const MAX_GROUPS = 50;
/** The servers' own readers of the side topics (a fresh group per start): never readers of the chat topic. */
const SIDE_GROUP = /-(?:reports|instances|signals)-[0-9a-f]{8}$/;

export async function inspectKafka(admin: Admin, topic: string): Promise<KafkaInspection> {
  const [cluster, offsets, listed] = await Promise.all([
    admin.describeCluster(), admin.fetchTopicOffsets(topic), admin.listGroups(),
  ]);
  const partitions = offsets
    .map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) }))
    .sort((a, b) => a.partition - b.partition);
  const highs = new Map(partitions.map((p) => [p.partition, p.high]));
  const ids = listed.groups.filter((g) => g.protocolType === 'consumer' && !SIDE_GROUP.test(g.groupId)).map((g) => g.groupId).slice(0, MAX_GROUPS);
  const described = ids.length > 0 ? (await admin.describeGroups(ids)).groups : [];
  const committed = await Promise.all(described.map((g) => admin.fetchOffsets({ groupId: g.groupId, topics: [topic] })));
  const groups: KafkaInspection['groups'] = [];
  described.forEach((g, i) => {
    const known = (committed[i]?.[0]?.partitions ?? []).filter((p) => Number(p.offset) >= 0);
    if (known.length === 0) return; // not reading this topic
    const lag = known.reduce((sum, p) => sum + Math.max(0, (highs.get(p.partition) ?? 0) - Number(p.offset)), 0);
    groups.push({ groupId: g.groupId, state: g.state, members: g.members.length, lag });
  });
  groups.sort((a, b) => a.groupId.localeCompare(b.groupId));
  return { topic, brokers: cluster.brokers.length, partitions, groups };
}
