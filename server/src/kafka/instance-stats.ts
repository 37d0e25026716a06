// Which server instances are up and their connections per room, shared through a small
// compacted topic "<topic>.instances" (key = instance id). Each instance publishes its own
// counts every few seconds and reads everyone's for the monitor; a clean stop writes a
// tombstone, and entries not refreshed for a while are treated as gone.
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from '../log.ts';

export interface InstanceStats {
  id: string;
  connections: number;
  rooms: Record<string, number>;
  /** Names online on that instance, so names stay unique across instances. */
  names: string[];
  at: string;
}

export interface InstanceDirectory {
  start(): Promise<void>;
  /** Instances seen within the last `staleMs`, sorted by id. */
  list(now?: number): InstanceStats[];
  /** Whether another live instance reports `name` online. */
  onlineElsewhere(name: string, now?: number): boolean;
  stop(): Promise<void>;
}

export interface DirectorySettings {
  topic: string;
  instanceId: string;
  groupId: string;
  intervalMs: number;
  staleMs: number;
  replicationFactor: number;
}

export function makeInstanceDirectory(
  kafka: Kafka, admin: Admin, producer: Producer, s: DirectorySettings, own: () => Omit<InstanceStats, 'id' | 'at'>, log: Logger,
): InstanceDirectory {
  const seen = new Map<string, InstanceStats>();
  const nameSets = new Map<string, Set<string>>();
  let consumer: Consumer | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const publish = async (value: string | null) => {
    await producer.send({ topic: s.topic, messages: [{ key: s.instanceId, value }] });
  };
  const publishOwn = () => {
    const stats: InstanceStats = { id: s.instanceId, ...own(), at: new Date().toISOString() };
    seen.set(s.instanceId, stats);
    publish(JSON.stringify(stats)).catch((error) => log.debug('instance stats not published', { error }));
  };

  return {
    async start() {
      const topics = await admin.listTopics();
      if (!topics.includes(s.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{
            topic: s.topic, numPartitions: 1, replicationFactor: s.replicationFactor,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: '86400000' }],
          }],
        });
      }
      consumer = kafka.consumer({ groupId: s.groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topics: [s.topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const id = message.key?.toString('utf8');
          if (!id) return;
          if (!message.value) {
            seen.delete(id); // tombstone: a clean stop
            nameSets.delete(id);
            return;
          }
          try {
            const stats = JSON.parse(message.value.toString('utf8')) as InstanceStats;
            if (typeof stats.connections === 'number' && typeof stats.at === 'string') {
              seen.set(id, { ...stats, id, names: Array.isArray(stats.names) ? stats.names : [] });
              nameSets.set(id, new Set(Array.isArray(stats.names) ? stats.names : []));
            }
          } catch {
            log.warn('skipping an instance record that does not decode', { id });
          }
        },
      });
      publishOwn();
      timer = setInterval(publishOwn, s.intervalMs);
    },
    onlineElsewhere(name, now = Date.now()) {
      for (const [id, names] of nameSets) {
        const stats = seen.get(id);
        if (id !== s.instanceId && stats && now - Date.parse(stats.at) <= s.staleMs && names.has(name)) return true;
      }
      return false;
    },
    list(now = Date.now()) {
      return [...seen.values()].filter((i) => now - Date.parse(i.at) <= s.staleMs).sort((a, b) => a.id.localeCompare(b.id));
    },
    async stop() {
      if (timer) clearInterval(timer);
      await publish(null).catch(() => {});
      await consumer?.disconnect().catch(() => {});
      await admin.deleteGroups([s.groupId]).catch(() => {});
    },
  };
}
