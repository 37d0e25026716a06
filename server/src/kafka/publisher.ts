// Group commit over one idempotent producer: everything that waits while a send is in flight
// goes out together in the next send (one send in flight keeps order), and each message learns
// its own partition and offset. The publisher owns the deadline, so the caller is told one of:
// stored, not stored (never sent), or outcome unknown (sent, no answer yet).
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../log.ts';
import { PublishError, type Publication, type Stored } from './message-log.ts';
import { partitionFor } from './partition.ts';

export interface PublisherSettings {
  topic: string;
  deadlineMs: number;
  maxQueue: number;
  /** Upper bound of value bytes in one send (Kafka's default record batch limit is 1 MB). */
  maxBatchBytes: number;
}

export interface Publisher {
  /** Connects a fresh producer; publishes are refused until then. */
  connect(partitions: number): Promise<void>;
  setPartitions(partitions: number): void;
  publish(key: string, value: string, timestamp: number): Publication;
  /** Whether a producer is connected (false while one is being replaced). */
  connected(): boolean;
  queued(): number;
  /** Waits for the send in flight (bounded by the caller), then disconnects. */
  stop(): Promise<void>;
}

interface Item {
  key: string;
  value: string;
  timestamp: string;
  partition: number;
  deadline: number;
  answered: boolean;
  answer: { resolve(s: Stored): void; reject(e: PublishError): void };
  outcome: { resolve(s: Stored): void; reject(e: PublishError): void };
}

function deferred(): [Promise<Stored>, Item['answer']] {
  let hooks!: Item['answer'];
  const promise = new Promise<Stored>((resolve, reject) => (hooks = { resolve, reject }));
  promise.catch(() => {}); // callers may attach late or never; failures are reported through them
  return [promise, hooks];
}

export function makePublisher(kafka: Kafka, s: PublisherSettings, log: Logger): Publisher {
  let producer: Producer | undefined;
  let partitions = 0;
  let queue: Item[] = [];
  let inFlight: Item[] | undefined;
  let sending: Promise<void> | undefined;
  let stopped = false;

  const answer = (item: Item, result: Stored | PublishError) => {
    if (item.answered) return;
    item.answered = true;
    if (result instanceof PublishError) item.answer.reject(result);
    else item.answer.resolve(result);
  };
  const settle = (item: Item, result: Stored | PublishError) => {
    answer(item, result);
    if (result instanceof PublishError) item.outcome.reject(result);
    else item.outcome.resolve(result);
  };

  // Deadlines: a queued message past it was never sent (not stored); one in flight may be.
  const sweep = setInterval(() => {
    const now = Date.now();
    if (queue.length > 0 && (queue[0] as Item).deadline <= now) {
      const expired = queue.filter((i) => i.deadline <= now);
      queue = queue.filter((i) => i.deadline > now);
      for (const item of expired) settle(item, new PublishError('unavailable', 'Kafka did not take the message in time; it was not stored.'));
    }
    for (const item of inFlight ?? []) {
      if (item.deadline <= now) answer(item, new PublishError('unknown', 'Kafka has not confirmed the message in time; it may have been stored.'));
    }
  }, Math.max(20, Math.min(250, s.deadlineMs / 10)));

  const takeBatch = (): Item[] => {
    let bytes = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || bytes + (queue[n] as Item).value.length <= s.maxBatchBytes)) {
      bytes += (queue[n] as Item).value.length;
      n++;
    }
    return queue.splice(0, n);
  };

  const sendBatch = async (p: Producer, batch: Item[]) => {
    try {
      const meta = await p.send({
        topic: s.topic,
        acks: -1,
        messages: batch.map((i) => ({ key: i.key, value: i.value, partition: i.partition, timestamp: i.timestamp })),
      });
      const base = new Map(meta.map((m) => [m.partition, Number(m.baseOffset)]));
      const next = new Map<number, number>();
      for (const item of batch) {
        const first = base.get(item.partition);
        if (first === undefined) {
          settle(item, new PublishError('unknown', 'Kafka returned no offset for the message.'));
          continue;
        }
        const index = next.get(item.partition) ?? 0;
        next.set(item.partition, index + 1);
        settle(item, { partition: item.partition, offset: first + index });
      }
    } catch (error) {
      log.warn('a Kafka send failed; its messages may or may not be stored', { messages: batch.length, error });
      for (const item of batch) settle(item, new PublishError('unknown', `Kafka send failed: ${(error as Error).message}`));
      // kafkajs rolls the sequence numbers back after a failed send. The batch may still have
      // landed, so reusing those numbers could make the broker drop the next batch as a
      // duplicate. A new producer gets a new producer id and starts clean.
      await reconnect();
    }
  };

  const pump = () => {
    if (sending || !producer || queue.length === 0) return;
    const p = producer;
    const batch = takeBatch();
    inFlight = batch;
    sending = sendBatch(p, batch).finally(() => {
      inFlight = undefined;
      sending = undefined;
      if (!stopped) pump();
    });
  };

  const open = async () => {
    const p = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Retries span a leader election; past them the send is reported as unknown and the
      // producer replaced (see sendBatch).
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    await p.connect();
    return p;
  };

  const reconnect = async () => {
    const old = producer;
    producer = undefined;
    await old?.disconnect().catch(() => {});
    for (let attempt = 1; !stopped && !producer; attempt++) {
      try {
        producer = await open();
      } catch (error) {
        log.warn('Kafka producer reconnect failed; retrying', { attempt, error });
        await Bun.sleep(Math.min(2000, 200 * attempt));
      }
    }
  };

  return {
    async connect(n) {
      partitions = n;
      const old = producer;
      producer = await open();
      await old?.disconnect().catch(() => {});
      pump();
    },
    setPartitions(n) {
      if (n > 0) partitions = n;
    },
    publish(key, value, timestamp) {
      const [answerP, answerHooks] = deferred();
      const [outcomeP, outcomeHooks] = deferred();
      const item: Item = {
        key, value, timestamp: String(timestamp), partition: 0, deadline: Date.now() + s.deadlineMs, answered: false,
        answer: answerHooks, outcome: outcomeHooks,
      };
      if (!producer || stopped || partitions === 0) {
        settle(item, new PublishError('unavailable', 'Kafka is not connected.'));
      } else if (queue.length >= s.maxQueue) {
        settle(item, new PublishError('busy', 'Too many messages are waiting for Kafka.'));
      } else {
        item.partition = partitionFor(key, partitions);
        queue.push(item);
        pump();
      }
      return { answer: answerP, outcome: outcomeP };
    },
    connected: () => producer !== undefined && !stopped,
    queued: () => queue.length + (inFlight?.length ?? 0),
    async stop() {
      stopped = true;
      clearInterval(sweep);
      for (const item of queue) settle(item, new PublishError('unavailable', 'The server is stopping.'));
      queue = [];
      await sending;
      await producer?.disconnect().catch(() => {});
      producer = undefined;
    },
  };
}
