// The Kafka-backed ChatLog: connects in the background (retrying until it succeeds), ensures the
// topic, produces with acks from all in-sync replicas, and probes the broker for /health.
import { Partitioners, type Admin, type Producer } from 'kafkajs';
import { encodeChatRecord, type ChatRecord } from '@anime-universe/protocol';
import type { Logger } from '../log.ts';
import type { ChatLog, ChatLogHandlers, ChatLogStatus, KafkaState } from './chat-log.ts';
import { makeChatConsumer, type ChatConsumer } from './consumer.ts';
import { makeKafkaClient } from './kafka-client.ts';
import { inspectKafka, type KafkaInspection } from './inspect.ts';
import { makeInstanceDirectory } from './instance-stats.ts';
import { ensureTopic, type TopicSettings } from './topic.ts';
import { withTimeout } from '../with-timeout.ts';

export interface KafkaChatLogSettings extends TopicSettings {
  brokers: string[];
  clientId: string;
  instanceId: string;
  backlogPerPartition: number;
  probeIntervalMs?: number;
  instanceStatsIntervalMs?: number;
}

export class KafkaUnavailableError extends Error {}

export function startKafkaChatLog(s: KafkaChatLogSettings, handlers: ChatLogHandlers, log: Logger): ChatLog {
  const kafka = makeKafkaClient(s.clientId, s.brokers, log);
  const admin: Admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 100 } });
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner, // murmur2, same as the Java client
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const groupId = `${s.clientId}-${s.instanceId}`;
  const consumer: ChatConsumer = makeChatConsumer(kafka, admin, {
    topic: s.topic, groupId, backlogPerPartition: s.backlogPerPartition,
  }, handlers, log);

  const directory = makeInstanceDirectory(kafka, admin, producer, {
    topic: `${s.topic}.instances`, instanceId: s.instanceId, groupId: `${groupId}-instances`,
    intervalMs: s.instanceStatsIntervalMs ?? 5000, staleMs: 3 * (s.instanceStatsIntervalMs ?? 5000) + 2000,
    replicationFactor: s.replicationFactor,
  }, handlers.instanceStats, log);

  let state: KafkaState = 'connecting';
  let reason: string | undefined = 'connecting to Kafka';
  let since = new Date().toISOString();
  let connected = false;
  let stopped = false;
  let probing = false;
  const inFlight = new Set<Promise<unknown>>();
  const highs = new Map<number, number>(); // high watermarks from the latest probe
  // Monitor pages poll every 2 s each: requests within a second share one inspection.
  let inspection: { at: number; result: Promise<KafkaInspection> } | undefined;

  const setState = (next: KafkaState, why?: string) => {
    if (next === state && why === reason) return;
    if (next !== state) log.info('kafka state changed', { from: state, to: next, reason: why });
    state = next;
    reason = why;
    since = new Date().toISOString();
  };

  const probe = async () => {
    if (!connected || probing || stopped) return;
    probing = true;
    try {
      const offsets = await withTimeout(admin.fetchTopicOffsets(s.topic), 3000, 'broker probe');
      for (const p of offsets) highs.set(p.partition, Number(p.high));
      if (consumer.healthy()) setState('ready');
      else setState('unavailable', 'consumer is restarting');
    } catch (error) {
      setState('unavailable', `Kafka unreachable: ${(error as Error).message}`);
    } finally {
      probing = false;
    }
  };
  const probeTimer = setInterval(probe, s.probeIntervalMs ?? 1000);

  const connect = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await admin.connect();
        await ensureTopic(admin, s, log);
        await producer.connect();
        await consumer.start();
        connected = true;
        setState('ready');
        // The instance directory only feeds the monitor: a failure there never stops chat.
        directory.start().catch((error) => log.warn('instance directory unavailable', { error }));
        log.info('connected to Kafka', { brokers: s.brokers, topic: s.topic, groupId });
        return;
      } catch (error) {
        setState('unavailable', `cannot connect to Kafka at ${s.brokers.join(',')}: ${(error as Error).message}`);
        await Bun.sleep(Math.min(5000, 500 * attempt));
      }
    }
  };
  void connect();

  return {
    async publish(record: ChatRecord) {
      if (!connected) throw new KafkaUnavailableError(reason ?? 'Kafka is not connected');
      const sending = producer.send({
        topic: s.topic,
        acks: -1,
        messages: [{ key: record.room, value: encodeChatRecord(record), timestamp: String(Date.parse(record.timestamp)) }],
      });
      inFlight.add(sending);
      try {
        const [meta] = await sending;
        if (!meta) throw new Error('Kafka returned no record metadata');
        if (state !== 'ready' && consumer.healthy()) setState('ready');
        return { partition: meta.partition, offset: Number(meta.baseOffset) };
      } catch (error) {
        setState('unavailable', `Kafka produce failed: ${(error as Error).message}`);
        throw new KafkaUnavailableError((error as Error).message);
      } finally {
        inFlight.delete(sending);
      }
    },
    status(): ChatLogStatus {
      return { state, reason: state === 'ready' ? undefined : reason, caughtUp: consumer.caughtUp(), since };
    },
    inspect() {
      if (!inspection || Date.now() - inspection.at > 1000) {
        const result = withTimeout(inspectKafka(admin, s.topic), 5000, 'Kafka inspection');
        result.catch(() => {
          if (inspection?.result === result) inspection = undefined; // do not keep serving a failure
        });
        inspection = { at: Date.now(), result };
      }
      return inspection.result;
    },
    instances: () => directory.list(),
    onlineElsewhere: (name) => directory.onlineElsewhere(name),
    lag() {
      const out: Record<number, number> = {};
      for (const [p, high] of highs) out[p] = Math.max(0, high - (consumer.positions().get(p) ?? high));
      return out;
    },
    async stop() {
      stopped = true;
      clearInterval(probeTimer);
      await withTimeout(Promise.allSettled([...inFlight]), 3000, 'in-flight sends').catch(() => {});
      await withTimeout(directory.stop(), 2000, 'instance directory').catch(() => {});
      await producer.disconnect().catch(() => {});
      await consumer.stop();
      await admin.disconnect().catch(() => {});
    },
  };
}
