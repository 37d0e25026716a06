// The compacted side topic "<topic>.instances": each server instance publishes its connections
// per room and online names under its id (a clean stop writes a tombstone; entries not refreshed
// for a while count as gone), and the record "~epoch" names the chat log's epoch, a random id
// written when the chat topic is created, so a resume from a recreated topic is recognised.
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
  /** Starts reading the topic and resolves once everything already in it has been read. */
  start(): Promise<void>;
  /** Starts publishing this instance's stats every interval. */
  announce(own: () => Omit<InstanceStats, 'id' | 'at'>): void;
  epoch(): string | undefined;
  /** Writes a new epoch and waits until it has been read back. */
  newEpoch(): Promise<string>;
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

const EPOCH_KEY = '~epoch'; // "~" is not allowed in instance ids or room names

export function makeInstanceDirectory(kafka: Kafka, admin: Admin, producer: Producer, s: DirectorySettings, log: Logger): InstanceDirectory {
  const seen = new Map<string, InstanceStats>();
  const nameSets = new Map<string, Set<string>>();
  let epoch: string | undefined;
  let readUpTo = -1; // offset of the last record read
  let consumer: Consumer | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  // A fresh group per start: the topic is always read from its beginning, so the epoch and every
  // instance's latest record are known even after a crash left an old group behind.
  const groupId = `${s.groupId}-${crypto.randomUUID().slice(0, 8)}`;

  const publish = async (key: string, value: string | null) => {
    const [meta] = await producer.send({ topic: s.topic, acks: -1, messages: [{ key, value }] });
    return Number(meta?.baseOffset ?? -1);
  };
  const readPast = async (offset: number, what: string) => {
    const until = Date.now() + 15_000;
    while (readUpTo < offset) {
      if (Date.now() > until) throw new Error(`the instance directory did not read ${what} within 15 s`);
      await Bun.sleep(20);
    }
  };

  const apply = (id: string, value: string | undefined) => {
    if (id === EPOCH_KEY) {
      if (value) epoch = value;
      return;
    }
    if (value === undefined) {
      seen.delete(id); // tombstone: a clean stop
      nameSets.delete(id);
      return;
    }
    try {
      const stats = JSON.parse(value) as InstanceStats;
      if (typeof stats.connections === 'number' && typeof stats.at === 'string') {
        const names = Array.isArray(stats.names) ? stats.names : [];
        seen.set(id, { ...stats, id, names });
        nameSets.set(id, new Set(names));
      }
    } catch {
      log.warn('skipping an instance record that does not decode', { id });
    }
  };

  return {
    async start() {
      const topics = await admin.listTopics();
      if (!topics.includes(s.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{
            topic: s.topic, numPartitions: 1, replicationFactor: s.replicationFactor,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'min.insync.replicas', value: String(Math.min(2, s.replicationFactor)) }],
          }],
        });
      }
      const [end] = await admin.fetchTopicOffsets(s.topic);
      const high = Number(end?.high ?? 0);
      await consumer?.disconnect().catch(() => {}); // an earlier attempt's, when connecting is retried
      consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 1000, allowAutoTopicCreation: false }); // answers at once when a record arrives
      await consumer.connect();
      await consumer.subscribe({ topics: [s.topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const id = message.key?.toString('utf8');
          if (id) apply(id, message.value ? message.value.toString('utf8') : undefined);
          readUpTo = Number(message.offset);
        },
      });
      await readPast(high - 1, 'its existing records');
    },
    announce(own) {
      const publishOwn = () => {
        const stats: InstanceStats = { id: s.instanceId, ...own(), at: new Date().toISOString() };
        seen.set(s.instanceId, stats);
        publish(s.instanceId, JSON.stringify(stats)).catch((error) => log.debug('instance stats not published', { error }));
      };
      publishOwn();
      timer = setInterval(publishOwn, s.intervalMs);
    },
    epoch: () => epoch,
    async newEpoch() {
      const offset = await publish(EPOCH_KEY, crypto.randomUUID());
      await readPast(offset, 'the new epoch');
      return epoch as string;
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
      await publish(s.instanceId, null).catch(() => {});
      await consumer?.disconnect().catch(() => {});
      await admin.deleteGroups([groupId]).catch(() => {});
    },
  };
}
