// Ephemeral signals between instances (typing, name changes) on their own short-lived topic
// (`<topic>.signals`, kept a minute), never on the chat log. Each instance reads from the end
// with a fresh group and hands on what the others sent; its own it has delivered already. A
// signal that cannot be sent is dropped: nobody misses a lost "is typing".
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { isValidRoom, isValidUsername } from '@anime-universe/protocol';
import type { Logger } from '../log.ts';
import { ensureSideTopic } from './topic.ts';

export type Signal = { kind: 'typing'; room: string; name: string } | { kind: 'renamed'; room: string; from: string; to: string };

export interface SignalLog {
  start(): Promise<void>;
  /** Sends a signal to the other instances (best effort). */
  send(signal: Signal): void;
  /** Signals from other instances, as they arrive. */
  subscribe(listener: (signal: Signal) => void): void;
  stop(): Promise<void>;
}

export interface SignalLogSettings {
  topic: string;
  groupId: string;
  instanceId: string;
  replicationFactor: number;
  partitions?: number;
}

const RETENTION_MS = 60_000;

function decode(value: string, self: string): Signal | undefined {
  let r: unknown;
  try {
    r = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof r !== 'object' || r === null) return undefined;
  const s = r as { kind?: unknown; room?: unknown; name?: unknown; from?: unknown; to?: unknown; instance?: unknown };
  if (s.instance === self || typeof s.room !== 'string' || !isValidRoom(s.room)) return undefined;
  const name = (v: unknown): v is string => typeof v === 'string' && isValidUsername(v);
  if (s.kind === 'typing' && name(s.name)) return { kind: 'typing', room: s.room, name: s.name };
  if (s.kind === 'renamed' && name(s.from) && name(s.to)) return { kind: 'renamed', room: s.room, from: s.from, to: s.to };
  return undefined;
}

export function makeSignalLog(kafka: Kafka, admin: Admin, producer: Producer, s: SignalLogSettings, log: Logger): SignalLog {
  const listeners: Array<(signal: Signal) => void> = [];
  let consumer: Consumer | undefined;
  let ready = false;
  return {
    async start() {
      await ensureSideTopic(admin, s.topic, s.partitions ?? 3, s.replicationFactor, { 'retention.ms': String(RETENTION_MS), 'segment.ms': String(10 * RETENTION_MS) }, log);
      await consumer?.disconnect().catch(() => {});
      // A fresh group from the end: old signals mean nothing to a new reader.
      consumer = kafka.consumer({ groupId: `${s.groupId}-${crypto.randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topics: [s.topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const signal = m.value ? decode(m.value.toString('utf8'), s.instanceId) : undefined;
            if (signal) for (const l of listeners) l(signal);
          }
        },
      });
      ready = true;
    },
    send(signal) {
      if (!ready) return;
      producer.send({
        topic: s.topic, acks: 1,
        messages: [{ key: signal.room, value: JSON.stringify({ ...signal, instance: s.instanceId, at: new Date().toISOString() }) }],
      }).catch((error) => log.debug('a signal was not sent', { error }));
    },
    subscribe: (listener) => void listeners.push(listener),
    async stop() {
      ready = false;
      await consumer?.disconnect().catch(() => {});
    },
  };
}
