// Creates the chat topic explicitly (never by auto-create) and idempotently.
import type { Admin } from 'kafkajs';
import type { Logger } from '../log.ts';

export interface TopicSettings {
  topic: string;
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
}

/** Returns true when the topic was created now, false when it already existed. */
export async function ensureTopic(admin: Admin, s: TopicSettings, log: Logger): Promise<boolean> {
  const existing = await admin.listTopics();
  if (existing.includes(s.topic)) {
    const meta = await admin.fetchTopicMetadata({ topics: [s.topic] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    if (partitions !== s.partitions) {
      log.warn('topic exists with a different partition count; keeping it', {
        topic: s.topic, partitions, configured: s.partitions,
      });
    }
    return false;
  }
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [{
      topic: s.topic,
      numPartitions: s.partitions,
      replicationFactor: s.replicationFactor,
      configEntries: [
        { name: 'retention.ms', value: String(s.retentionMs) },
        { name: 'cleanup.policy', value: 'delete' },
        { name: 'min.insync.replicas', value: String(Math.min(2, s.replicationFactor)) },
      ],
    }],
  });
  if (created) log.info('created topic', { topic: s.topic, partitions: s.partitions, retentionMs: s.retentionMs });
  return created;
}

/** Creates a side topic (reports, signals) when it is missing; another instance may create it at the same moment. */
export async function ensureSideTopic(admin: Admin, topic: string, partitions: number, replicationFactor: number, config: Record<string, string>, log: Logger): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: partitions, replicationFactor, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }],
  }).catch((error) => log.debug('side topic not created here (another instance may have)', { topic, error }));
}
