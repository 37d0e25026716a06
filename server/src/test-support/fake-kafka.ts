// In-memory stand-ins for the Kafka views, for route tests through app.request(). They model
// only what the routes see (offsets, failures, status); the real-broker tests prove the rest.
import type { ChatRecord } from '@anime-universe/protocol';
import {
  PublishError, type BatchListener, type InstanceDirectoryView, type KafkaInspector, type LogStatus, type MessageLog,
  type PublishFailure, type Stored,
} from '../kafka/message-log.ts';

export interface FakeLog extends MessageLog {
  records: ChatRecord[];
  /** The next publishes fail this way (or succeed again with undefined). */
  failWith(kind: PublishFailure | undefined): void;
  setStatus(status: Partial<LogStatus>): void;
}

export function makeFakeLog(): FakeLog {
  const records: ChatRecord[] = [];
  const listeners: BatchListener[] = [];
  let failure: PublishFailure | undefined;
  let status: LogStatus = { state: 'ready', caughtUp: true, since: new Date(0).toISOString() };
  return {
    records,
    failWith: (kind) => void (failure = kind),
    setStatus: (next) => void (status = { ...status, ...next }),
    publish(record) {
      if (failure) {
        const error = new PublishError(failure, `fake ${failure}`);
        const rejected = Promise.reject(error);
        rejected.catch(() => {});
        return { answer: rejected, outcome: failure === 'unknown' ? new Promise<Stored>(() => {}) : rejected };
      }
      const stored: Stored = { partition: 0, offset: records.push(record) - 1 };
      for (const l of listeners) l(0, [{ ...record, offset: stored.offset }], stored.offset);
      return { answer: Promise.resolve(stored), outcome: Promise.resolve(stored) };
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

export const fakeDirectory: InstanceDirectoryView = { announce() {}, list: () => [], onlineElsewhere: () => false };

export const fakeInspector: KafkaInspector = {
  inspect: async () => ({ topic: 'fake', brokers: 1, partitions: [{ partition: 0, low: 0, high: 0 }], groups: [] }),
};
