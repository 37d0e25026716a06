// Reports of messages, on their own topic (`<topic>.reports`, one partition, the chat topic's
// retention): a chatter's report, or a moderator's dismissal of one. Every instance reads the
// whole topic with a fresh group, so any instance can show moderators the open reports.
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { MessageReport as Report } from '@anime-universe/protocol';
import type { Logger } from '../log.ts';
import { ensureSideTopic } from './topic.ts';
import { keepNewest } from '../chat/bounded-map.ts';

export type { Report };

export interface ReportLog {
  start(): Promise<void>;
  /** Stores a report; resolves once Kafka has it. */
  report(r: Report): Promise<void>;
  /** Stores a moderator's dismissal of a report. */
  dismiss(id: string, by: string): Promise<void>;
  /** Open reports, newest first (at most the newest 500 read). */
  open(): Report[];
  stop(): Promise<void>;
}

export interface ReportLogSettings {
  topic: string;
  groupId: string;
  replicationFactor: number;
  retentionMs: number;
}

const KEPT = 500;

export function makeReportLog(kafka: Kafka, admin: Admin, producer: Producer, s: ReportLogSettings, log: Logger): ReportLog {
  const reports = new Map<string, Report>(); // id -> open report, oldest first
  let consumer: Consumer | undefined;
  const apply = (value: string) => {
    let r: unknown;
    try {
      r = JSON.parse(value);
    } catch {
      return;
    }
    if (typeof r !== 'object' || r === null) return;
    const rec = r as Partial<Report> & { type?: string };
    if (rec.type === 'dismissal' && typeof rec.id === 'string') {
      reports.delete(rec.id);
      return;
    }
    if (rec.type !== 'report' || typeof rec.id !== 'string' || typeof rec.room !== 'string' || typeof rec.offset !== 'number') return;
    reports.set(rec.id, { id: rec.id, room: rec.room, offset: rec.offset, reason: String(rec.reason ?? ''), by: String(rec.by ?? ''), at: String(rec.at ?? '') });
    keepNewest(reports, KEPT);
  };
  const send = async (key: string, value: object) => {
    await producer.send({ topic: s.topic, acks: -1, messages: [{ key, value: JSON.stringify(value) }] });
  };
  return {
    async start() {
      await ensureSideTopic(admin, s.topic, 1, s.replicationFactor, {
        'retention.ms': String(s.retentionMs), 'min.insync.replicas': String(Math.min(2, s.replicationFactor)),
      }, log);
      await consumer?.disconnect().catch(() => {});
      consumer = kafka.consumer({ groupId: `${s.groupId}-${crypto.randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topics: [s.topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false, // every start reads the whole topic again: nothing to remember
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) if (m.value) apply(m.value.toString('utf8'));
        },
      });
    },
    report: (r) => send(r.room, { type: 'report', ...r }),
    dismiss: (id, by) => send('~dismissal', { type: 'dismissal', id, by, at: new Date().toISOString() }),
    open: () => [...reports.values()].reverse(),
    async stop() {
      await consumer?.disconnect().catch(() => {});
    },
  };
}
