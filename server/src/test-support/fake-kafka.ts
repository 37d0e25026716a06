// In-memory stand-ins for the Kafka views, for route tests through app.request(). They model
// only what the routes see (offsets, failures, status); the real-broker tests prove the rest.
import type { ChatMessage, ChatRecord, ReactionRecord, RedactionRecord, RoomSettingsRecord, TimeoutRecord } from '@anime-universe/protocol';
import type { Report, ReportLog } from '../kafka/report-log.ts';
import {
  PublishError, type BatchListener, type InstanceDirectoryView, type LogEvent, type KafkaInspector, type LogStatus, type MessageLog,
  type PublishFailure, type Stored,
} from '../kafka/message-log.ts';

export interface FakeLog extends MessageLog {
  /** Chat records published, in order (redactions are in `redactions`; both take offsets). */
  records: ChatRecord[];
  redactions: Array<Omit<RedactionRecord, 'type'>>;
  timeouts: Array<Omit<TimeoutRecord, 'type'>>;
  reactions: Array<Omit<ReactionRecord, 'type'>>;
  settings: Array<Omit<RoomSettingsRecord, 'type'>>;
  /** The next publishes fail this way (or succeed again with undefined). */
  failWith(kind: PublishFailure | undefined): void;
  setStatus(status: Partial<LogStatus>): void;
}

export function makeFakeLog(): FakeLog {
  const records: ChatRecord[] = [];
  const redactions: Array<Omit<RedactionRecord, 'type'>> = [];
  const timeouts: Array<Omit<TimeoutRecord, 'type'>> = [];
  const settings: Array<Omit<RoomSettingsRecord, 'type'>> = [];
  const reactions: Array<Omit<ReactionRecord, 'type'>> = [];
  let next = 0; // the next offset
  const listeners: BatchListener[] = [];
  const failed = () => {
    const error = new PublishError(failure as PublishFailure, `fake ${failure}`);
    const rejected = Promise.reject(error);
    rejected.catch(() => {});
    return { answer: rejected, outcome: failure === 'unknown' ? new Promise<Stored>(() => {}) : rejected };
  };
  /** Stores one record at the next offset and hands it to the listeners at once. */
  const store = (messages: (offset: number) => ChatMessage[], events: (offset: number) => LogEvent[]) => {
    if (failure) return failed();
    const stored: Stored = { partition: 0, offset: next++ };
    for (const l of listeners) l(0, messages(stored.offset), stored.offset, events(stored.offset));
    return { answer: Promise.resolve(stored), outcome: Promise.resolve(stored) };
  };
  const none = () => [];
  let failure: PublishFailure | undefined;
  let status: LogStatus = { state: 'ready', caughtUp: true, since: new Date(0).toISOString() };
  return {
    records,
    redactions,
    timeouts,
    settings,
    reactions,
    failWith: (kind) => void (failure = kind),
    setStatus: (next) => void (status = { ...status, ...next }),
    publish(record) {
      if (!failure) records.push(record);
      return store((offset) => [{ ...record, offset }], none);
    },
    redact(record) {
      if (!failure) redactions.push(record);
      return store(none, (offset) => [{ kind: 'redaction', room: record.room, target: record.target, by: record.by, offset }]);
    },
    sendPrivate(record) {
      const room = `~dm:${[record.from, record.to].sort().join(':')}`;
      return store(none, (offset) => [{ kind: 'dm', room, message: { ...record, offset }, offset }]);
    },
    lockRoom(record) {
      return store(none, (offset) => [{ kind: 'passcode', room: record.room, hash: record.hash, offset }]);
    },
    react(record) {
      if (!failure) reactions.push(record);
      const { room, target, emoji, name, on } = record;
      return store(none, (offset) => [{ kind: 'reaction', room, target, emoji, name, on, offset }]);
    },
    setRoom(record) {
      if (!failure) settings.push(record);
      return store(none, (offset) => [{ kind: 'settings', room: record.room, slowModeSeconds: record.slowModeSeconds, by: record.by, offset }]);
    },
    timeOut(record) {
      if (!failure) timeouts.push(record);
      const { room, name, source, by } = record;
      return store(none, (offset) => [{ kind: 'timeout', room, ...(name ? { name } : {}), ...(source ? { source } : {}), until: Date.parse(record.until), by, offset }]);
    },
    subscribe: (listener) => void listeners.push(listener),
    // Publishes reach the listeners synchronously, so everything is read already.
    barrier: async () => {
      if (failure) throw new PublishError(failure, `fake ${failure}`);
    },
    partitionStart: () => 0,
    partitions: () => 1,
    epoch: () => 'fake-epoch',
    status: () => status,
    lag: () => ({ 0: 0 }),
  };
}

export const fakeDirectory: InstanceDirectoryView = { announce() {}, list: () => [], onlineElsewhere: () => false, namesIn: () => new Set() };

export const fakeInspector: KafkaInspector = {
  inspect: async () => ({ topic: 'fake', brokers: 1, partitions: [{ partition: 0, low: 0, high: 0 }], groups: [] }),
};

/** Reports kept in memory, as every instance would read them from the reports topic. */
export function makeFakeReports(): Pick<ReportLog, 'report' | 'dismiss' | 'open'> & { failing: boolean } {
  const reports = new Map<string, Report>();
  return {
    failing: false,
    async report(r) {
      if (this.failing) throw new Error('fake kafka down');
      reports.set(r.id, r);
    },
    async dismiss(id) {
      reports.delete(id);
    },
    open: () => [...reports.values()].reverse(),
  };
}
