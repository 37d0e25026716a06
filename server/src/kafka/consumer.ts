// Runs this instance's own consumer group over the whole topic: every instance sees every
// message. Starts where it is told (the read model's stored positions, or the earliest retained
// offsets), decodes a fetched batch at a time, skips records that do not decode, tracks
// catch-up, and after a crash resumes exactly where it stopped.
import type { Admin, Consumer, Kafka } from 'kafkajs';
import {
  decodeChatRecord, decodePrivateRecord, decodeReactionRecord, decodeRoomPasscodeRecord, isPrivateRecord, isRoomPasscodeRecord, privateThread, decodeRedactionRecord, decodeRoomSettingsRecord, decodeTimeoutRecord, isMarkerRecord, isReactionRecord, isRedactionRecord, isRoomSettingsRecord,
  isTimeoutRecord, type ChatMessage,
} from '@anime-universe/protocol';
import type { Logger } from '../log.ts';
import type { BatchListener, LogEvent } from './message-log.ts';


export interface ConsumerSettings {
  topic: string;
  groupId: string;
  fetchMinBytes: number;
  fetchMaxWaitMs: number;
  /** A promise to wait for before the next fetch (a slow reader of the batches), or undefined. */
  backlog?: () => Promise<void> | undefined;
}

export interface ChatConsumer {
  /** Starts reading at these offsets (partitions not listed: at their earliest retained offset). */
  start(starts: ReadonlyMap<number, number>): Promise<void>;
  caughtUp(): boolean;
  /** How far catching up has come, 0 to 1 (1 once caught up). */
  progress(): number;
  healthy(): boolean;
  /** Next offset to read, per partition. */
  positions(): ReadonlyMap<number, number>;
  stop(): Promise<void>;
}

export function makeChatConsumer(
  kafka: Kafka, admin: Admin, s: ConsumerSettings, onBatch: BatchListener, onStarts: (starts: ReadonlyMap<number, number>) => void, log: Logger,
): ChatConsumer {
  const targets = new Map<number, number>(); // partition -> last offset that existed at start
  const positions = new Map<number, number>(); // partition -> next offset to read
  const firsts = new Map<number, number>(); // partition -> where this run started
  const groups: string[] = [];
  let consumer: Consumer | undefined;
  let joined = false; // the current consumer has joined its group
  let failed = false; // the current consumer has crashed
  let restarting = false;
  let stopped = false;
  let isCaughtUp = false;
  let committed = new Map<number, number>(); // partition -> position last committed

  const checkCaughtUp = () => {
    if (isCaughtUp) return;
    for (const [p, target] of targets) if ((positions.get(p) ?? 0) <= target) return;
    isCaughtUp = true;
  };

  const decode = (partition: number, offset: number, key: string | undefined, value: string): ChatMessage | undefined => {
    if (isMarkerRecord(value)) return undefined; // a read barrier's marker, not a message
    const decoded = decodeChatRecord(value);
    if (!decoded.ok) {
      log.warn('skipping a record that does not decode', { partition, offset, reason: decoded.error.message });
    } else if (key !== decoded.value.room) {
      log.warn('skipping a record whose key is not its room', { partition, offset, key });
    } else {
      return { ...decoded.value, offset };
    }
    return undefined;
  };

  /** A typed record other than a message, or undefined (skipped with a warning) when malformed. */
  const event = (partition: number, offset: number, key: string | undefined, value: string): LogEvent | undefined => {
    if (isRedactionRecord(value)) {
      const d = decodeRedactionRecord(value);
      if (d.ok && key === d.value.room && d.value.target < offset) return { kind: 'redaction', room: d.value.room, target: d.value.target, by: d.value.by, offset };
    } else if (isPrivateRecord(value)) {
      const d = decodePrivateRecord(value);
      if (d.ok && key === privateThread(d.value.from, d.value.to)) {
        const { type: _type, ...message } = d.value;
        return { kind: 'dm', room: key, message: { ...message, offset }, offset };
      }
    } else if (isRoomPasscodeRecord(value)) {
      const d = decodeRoomPasscodeRecord(value);
      if (d.ok && key === d.value.room) return { kind: 'passcode', room: d.value.room, hash: d.value.hash, offset };
    } else if (isReactionRecord(value)) {
      const d = decodeReactionRecord(value);
      if (d.ok && key === d.value.room && d.value.target < offset) {
        const { room, target, emoji, name, on } = d.value;
        return { kind: 'reaction', room, target, emoji, name, on, offset };
      }
    } else if (isRoomSettingsRecord(value)) {
      const d = decodeRoomSettingsRecord(value);
      if (d.ok && key === d.value.room) return { kind: 'settings', room: d.value.room, slowModeSeconds: d.value.slowModeSeconds, by: d.value.by, offset };
    } else {
      const d = decodeTimeoutRecord(value);
      if (d.ok && key === d.value.room) {
        const { room, name, source, until, by } = d.value;
        return { kind: 'timeout', room, ...(name ? { name } : {}), ...(source ? { source } : {}), until: Date.parse(until), by, offset };
      }
    }
    log.warn('skipping an event record that does not decode', { partition, offset });
    return undefined;
  };

  const handleBatch = (partition: number, records: Array<{ offset: string; key: Buffer | null; value: Buffer | null }>) => {
    const from = positions.get(partition) ?? 0;
    const messages: ChatMessage[] = [];
    const events: LogEvent[] = [];
    let last = -1;
    for (const r of records) {
      const offset = Number(r.offset);
      last = offset;
      if (offset < from) continue; // fetched again after a restart
      const key = r.key?.toString('utf8');
      const value = r.value?.toString('utf8') ?? '';
      if (isPrivateRecord(value) || isRoomPasscodeRecord(value) || isReactionRecord(value) || isRedactionRecord(value) || isTimeoutRecord(value) || isRoomSettingsRecord(value)) {
        const e = event(partition, offset, key, value);
        if (e) events.push(e);
        continue;
      }
      const message = decode(partition, offset, key, value);
      if (message) messages.push(message);
    }
    if (last >= from) {
      try {
        onBatch(partition, messages, last, events);
      } catch (error) {
        log.error('handling a batch failed; skipping it', { partition, first: messages[0]?.offset, error });
      }
      positions.set(partition, last + 1);
    }
    checkCaughtUp();
  };

  // Each run uses a fresh group and seeks to our own positions. Rejoining the old group after a
  // broker restart would wait out the dead member's session (30 s) before any fetch.
  const run = async () => {
    await consumer?.disconnect().catch(() => {}); // a half-started or crashed predecessor
    const groupId = groups.length === 0 ? s.groupId : `${s.groupId}-r${groups.length}`;
    groups.push(groupId);
    const c = kafka.consumer({
      // A fetch answers once minBytes are there (default: one record) or after maxWait. Under
      // load the records that arrive while a batch is handled come together in the next fetch.
      groupId, maxWaitTimeInMs: s.fetchMaxWaitMs, minBytes: s.fetchMinBytes, maxBytes: 8 << 20, allowAutoTopicCreation: false,
      retry: { retries: 3, initialRetryTime: 200, restartOnFailure: async () => false },
    });
    consumer = c;
    committed = new Map(); // a fresh group has nothing committed
    joined = false;
    failed = false;
    c.on(c.events.CRASH, (e) => {
      if (c !== consumer) return; // a stale consumer
      log.warn('kafka consumer stopped; restarting it', { error: e.payload.error });
      failed = true;
      void restart(); // no-op while a restart loop runs; that loop sees `failed`
    });
    c.on(c.events.GROUP_JOIN, () => {
      if (c === consumer) joined = true;
    });
    await c.connect();
    await c.subscribe({ topics: [s.topic], fromBeginning: true });
    const running = c.run({
      partitionsConsumedConcurrently: 1,
      eachBatchAutoResolve: true,
      // Positions live in this process (each run seeks to them); commits only feed the
      // monitor's lag column. kafkajs commits after every batch whatever the interval says
      // (one write to the offsets topic per fetch), so this consumer commits on its own timer.
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        handleBatch(batch.partition, batch.messages);
        await s.backlog?.();
      },
    });
    // seek must follow run() synchronously, before its fetch loop starts.
    for (const [partition, offset] of positions) c.seek({ topic: s.topic, partition, offset: String(offset) });
    await running;
  };

  // Positions committed once a second when they moved, for the monitor's lag column.
  const commitPositions = async () => {
    const c = consumer;
    if (!c || !joined || failed) return;
    const moved = [...positions].filter(([p, offset]) => committed.get(p) !== offset);
    if (moved.length === 0) return;
    const snapshot = new Map(positions);
    await c.commitOffsets(moved.map(([partition, offset]) => ({ topic: s.topic, partition, offset: String(offset) })))
      .then(() => {
        if (consumer === c) committed = snapshot;
      })
      .catch((error) => log.debug('committing consumer positions failed', { error }));
  };
  const commitTimer = setInterval(() => void commitPositions(), 1000);
  commitTimer.unref?.();

  const restart = async () => {
    if (restarting) return;
    restarting = true;
    try {
      for (let attempt = 1; !stopped; attempt++) {
        try {
          await run();
          if (!failed) {
            log.info('kafka consumer restarted', { attempt, positions: Object.fromEntries(positions) });
            return;
          }
        } catch (error) {
          log.warn('kafka consumer restart failed; retrying', { attempt, error });
        }
        await Bun.sleep(Math.min(5000, 250 * attempt));
      }
    } finally {
      restarting = false;
    }
  };

  return {
    async start(starts) {
      const offsets = await admin.fetchTopicOffsets(s.topic);
      for (const p of offsets) {
        const high = Number(p.high);
        const start = Math.min(high, Math.max(Number(p.low), starts.get(p.partition) ?? 0));
        positions.set(p.partition, start);
        firsts.set(p.partition, start);
        if (high > start) targets.set(p.partition, high - 1);
      }
      onStarts(new Map(positions));
      // A crashed predecessor with this instance id may still be a member of the group (until its
      // session times out, 30 s): joining it would wait for that. Start in a fresh group then;
      // the old one is deleted with the others on a clean stop.
      const [previous] = (await admin.describeGroups([s.groupId]).catch(() => ({ groups: [] }))).groups;
      if (previous && previous.members.length > 0) {
        log.info('a previous run is still a member of this consumer group; starting in a fresh group', { groupId: s.groupId });
        groups.push(s.groupId);
      }
      await run();
      checkCaughtUp();
    },
    caughtUp: () => isCaughtUp,
    progress() {
      if (isCaughtUp) return 1;
      let done = 0;
      let total = 0;
      for (const [p, target] of targets) {
        const first = firsts.get(p) ?? 0;
        total += target + 1 - first;
        done += Math.min(target + 1, positions.get(p) ?? first) - first;
      }
      return total > 0 ? done / total : 0;
    },
    healthy: () => joined && !failed,
    positions: () => positions,
    async stop() {
      stopped = true;
      clearInterval(commitTimer);
      await consumer?.disconnect().catch((error) => log.warn('consumer disconnect failed', { error }));
      // The groups are this instance's alone; groups of a crashed instance expire with the
      // broker's offsets.retention.minutes.
      await admin.deleteGroups(groups).catch(() => {});
    },
  };
}
