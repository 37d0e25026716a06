// Runs this instance's own consumer group over the whole topic: every instance sees every
// message. Starts near the end (a bounded backlog for history), skips records that do not
// decode, tracks catch-up, and restarts itself if kafkajs gives up.
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { decodeChatRecord } from '../protocol/index.ts';
import type { Logger } from '../log.ts';
import type { ChatLogHandlers } from './chat-log.ts';

export interface ConsumerSettings {
  topic: string;
  groupId: string;
  backlogPerPartition: number;
}

export interface ChatConsumer {
  start(): Promise<void>;
  caughtUp(): boolean;
  waitCaughtUp(timeoutMs: number): Promise<boolean>;
  healthy(): boolean;
  stop(): Promise<void>;
}

export function makeChatConsumer(kafka: Kafka, admin: Admin, s: ConsumerSettings, handlers: ChatLogHandlers, log: Logger): ChatConsumer {
  const targets = new Map<number, number>(); // partition -> last offset that existed at start
  const processed = new Map<number, number>();
  let consumer: Consumer | undefined;
  let crashed = false;
  let stopped = false;
  let isCaughtUp = false;
  let waiters: Array<(v: boolean) => void> = [];

  const checkCaughtUp = () => {
    if (isCaughtUp) return;
    for (const [p, target] of targets) if ((processed.get(p) ?? -1) < target) return;
    isCaughtUp = true;
    for (const w of waiters) w(true);
    waiters = [];
  };

  /** Runs a consumer; with `starts`, first seeks each partition there (a fresh group). */
  const run = async (starts?: ReadonlyMap<number, number>) => {
    const c = kafka.consumer({ groupId: s.groupId, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
    consumer = c;
    c.on(c.events.CRASH, (e) => {
      log.error('kafka consumer crashed', { error: e.payload.error, restart: e.payload.restart });
      if (!e.payload.restart) {
        crashed = true;
        void restart();
      }
    });
    c.on(c.events.GROUP_JOIN, () => {
      crashed = false;
    });
    await c.connect();
    await c.subscribe({ topics: [s.topic], fromBeginning: true });
    const running = c.run({
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset);
        try {
          const decoded = decodeChatRecord(message.value?.toString('utf8') ?? '');
          const key = message.key?.toString('utf8');
          if (!decoded.ok) {
            log.warn('skipping a record that does not decode', { partition, offset, reason: decoded.error.message });
          } else if (key !== decoded.value.room) {
            log.warn('skipping a record whose key is not its room', { partition, offset, key });
          } else {
            handlers.onMessage({ ...decoded.value, offset }, partition);
          }
        } catch (error) {
          log.error('handling a record failed; skipping it', { partition, offset, error });
        }
        processed.set(partition, offset);
        checkCaughtUp();
      },
    });
    // seek must follow run() synchronously, before its fetch loop starts (admin.setOffsets
    // does the same, but waits for a whole fetch cycle first).
    for (const [partition, offset] of starts ?? []) c.seek({ topic: s.topic, partition, offset: String(offset) });
    await running;
  };

  const restart = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await consumer?.disconnect().catch(() => {});
        await run();
        log.info('kafka consumer restarted', { attempt });
        return;
      } catch (error) {
        log.warn('kafka consumer restart failed; retrying', { attempt, error });
        await Bun.sleep(Math.min(5000, 250 * attempt));
      }
    }
  };

  return {
    async start() {
      // This instance's group is new: start a bounded backlog before the end of each partition.
      const offsets = await admin.fetchTopicOffsets(s.topic);
      const starts = new Map<number, number>();
      for (const p of offsets) {
        const high = Number(p.high);
        const start = Math.max(Number(p.low), high - s.backlogPerPartition);
        starts.set(p.partition, start);
        if (high > start) targets.set(p.partition, high - 1);
      }
      handlers.onPartitionStarts(starts);
      await run(starts);
      checkCaughtUp();
    },
    caughtUp: () => isCaughtUp,
    waitCaughtUp(timeoutMs) {
      if (isCaughtUp) return Promise.resolve(true);
      return new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(() => resolve(isCaughtUp), timeoutMs);
      });
    },
    healthy: () => !crashed,
    async stop() {
      stopped = true;
      await consumer?.disconnect().catch((error) => log.warn('consumer disconnect failed', { error }));
      await admin.deleteGroups([s.groupId]).catch(() => {}); // per-instance group: nothing to keep
    },
  };
}
