// Connects this instance to Kafka in the background (retrying until it succeeds): ensures the
// topic, learns the log's epoch, starts the publisher and the consumer, and probes the broker
// for /health. Hands out the narrow views: message log, instance directory, inspector, reports.
import type { ChatMessage } from '@anime-universe/protocol';
import { encodeChatRecord, encodeMarkerRecord, encodePrivateRecord, privateThread, encodeReactionRecord, encodeRedactionRecord, encodeRoomPasscodeRecord, encodeRoomSettingsRecord, encodeTimeoutRecord } from '@anime-universe/protocol';
import type { Logger } from '../log.ts';
import { withTimeout } from '../with-timeout.ts';
import { makeChatConsumer } from './consumer.ts';
import { inspectKafka, type KafkaInspection } from './inspect.ts';
import { makeInstanceDirectory } from './instance-directory.ts';
import { makeKafkaClient, type SocketFactory } from './kafka-client.ts';
import type { BatchListener, DurableView, LogEvent, InstanceDirectoryView, KafkaInspector, KafkaState, MessageLog } from './message-log.ts';
import { makePublisher } from './publisher.ts';
import { makeReadBarriers } from './read-barriers.ts';
import { makeReportLog, type ReportLog } from './report-log.ts';
import { makeSignalLog, type SignalLog } from './signal-log.ts';
import { makeViewWriter } from './view-writer.ts';
import { ensureTopic, type TopicSettings } from './topic.ts';


/** How long an instance that did not create the topic waits for the creator's epoch. */
const EPOCH_WAIT_MS = 10_000;
export interface KafkaSettings extends TopicSettings {
  brokers: string[];
  clientId: string;
  instanceId: string;
  fetchMinBytes?: number;
  fetchMaxWaitMs?: number;
  sendTimeoutMs: number;
  maxQueuedSends: number;
  probeIntervalMs?: number;
  instanceStatsIntervalMs?: number;
  /** Tests route Kafka connections through a fault-injecting proxy. */
  socketFactory?: SocketFactory;
  /** A durable view of the log (the read model); without one, reading starts at the earliest offsets. */
  view?: DurableView;
}

export interface KafkaParts {
  messages: MessageLog;
  directory: InstanceDirectoryView;
  inspector: KafkaInspector;
  /** Reports of messages, for moderators. */
  reports: Pick<ReportLog, 'report' | 'dismiss' | 'open'>;
  signals: Pick<SignalLog, 'send' | 'subscribe'>;
  /** Flushes the send in flight and leaves the cluster. */
  stop(): Promise<void>;
}

/** How long a consumer may be rejoining its group before the instance reports unavailable. */
const CONSUMER_GRACE_MS = 30_000;
/** How long the broker probe must fail in a row before the instance reports unavailable. */
const PROBE_TOLERANCE_MS = 2500;

export function startKafka(s: KafkaSettings, log: Logger): KafkaParts {
  const kafka = makeKafkaClient(s.clientId, s.brokers, log, s.socketFactory);
  const admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 100 } });
  const sideProducer = kafka.producer({ allowAutoTopicCreation: false }); // directory records only
  const publisher = makePublisher(kafka, {
    topic: s.topic, deadlineMs: s.sendTimeoutMs, maxQueue: s.maxQueuedSends, maxBatchBytes: 512 * 1024,
  }, log);
  const listeners: BatchListener[] = [];
  const barriers = makeReadBarriers(
    (room) => publisher.publish(room, encodeMarkerRecord(room, new Date()), Date.now()),
    (partition) => consumer.positions().get(partition) ?? 0,
  );
  const groupId = `${s.clientId}-${s.instanceId}`;
  const starts = new Map<number, number>();
  const consumer = makeChatConsumer(kafka, admin, {
    topic: s.topic, groupId, fetchMinBytes: s.fetchMinBytes ?? 1, fetchMaxWaitMs: s.fetchMaxWaitMs ?? 500,
    backlog: () => viewWriter.backlog(),
  },
    (partition: number, messages: ChatMessage[], through: number, events: readonly LogEvent[]) => {
      // The durable view is written in batches; readers lose nothing meanwhile, since the hub's
      // cache holds everything delivered since start.
      viewWriter.add(partition, messages, through, !consumer.caughtUp(), events);
      for (const listener of listeners) listener(partition, messages, through, events);
      barriers.passed(partition, through); // after the listeners: they have seen it all
    },
    (positions) => {
      for (const [p, o] of positions) starts.set(p, o);
    }, log);
  const reports = makeReportLog(kafka, admin, sideProducer, {
    topic: `${s.topic}.reports`, groupId: `${groupId}-reports`, replicationFactor: s.replicationFactor, retentionMs: s.retentionMs,
  }, log);
  const signals = makeSignalLog(kafka, admin, sideProducer, {
    topic: `${s.topic}.signals`, groupId: `${groupId}-signals`, instanceId: s.instanceId, replicationFactor: s.replicationFactor,
  }, log);
  const directory = makeInstanceDirectory(kafka, admin, sideProducer, {
    topic: `${s.topic}.instances`, instanceId: s.instanceId, groupId: `${groupId}-instances`,
    intervalMs: s.instanceStatsIntervalMs ?? 5000, staleMs: 3 * (s.instanceStatsIntervalMs ?? 5000) + 2000,
    replicationFactor: s.replicationFactor,
  }, log);

  let state: KafkaState = 'connecting';
  let reason: string | undefined = 'connecting to Kafka';
  let since = new Date().toISOString();
  let epoch = '';
  let connected = false;
  let stopped = false;
  let probing = false;
  let consumerDownSince: number | undefined;
  let caughtUp = false;
  const viewWriter = makeViewWriter(s.view, (why, error) => {
    log.error('the history database failed; history is frozen until a restart', { error });
    setState('unavailable', why);
  });
  let partitionCount = 0;
  let probeFailingSince: number | undefined;
  const highs = new Map<number, number>(); // high watermarks from the latest probe
  let inspection: { at: number; result: Promise<KafkaInspection> } | undefined;
  let announceOwn: Parameters<InstanceDirectoryView['announce']>[0] | undefined;

  const setState = (next: KafkaState, why?: string) => {
    if (next === state && why === reason) return;
    if (next !== state) log.info('kafka state changed', { from: state, to: next, reason: why });
    state = next;
    reason = why;
    since = new Date().toISOString();
  };

  // Readiness comes from the cluster's metadata (any live broker answers it): ready while the
  // topic has leaders, so one dead broker of a replicated cluster does not take the chat down;
  // sends to its partitions wait for the election. A consumer rejoining after its coordinator
  // died stays ready for a grace period: sends work, history is served from what was read, and
  // live messages follow from the consumer's own positions. Watermarks are best effort.
  const probe = async () => {
    if (!connected || probing || stopped) return;
    probing = true;
    try {
      const meta = await withTimeout(admin.fetchTopicMetadata({ topics: [s.topic] }), 3000, 'broker probe');
      const partitions = meta.topics[0]?.partitions ?? [];
      if (partitions.length > 0) {
        publisher.setPartitions(partitions.length);
        partitionCount = partitions.length;
      }
      const viewFailed = viewWriter.failure();
      if (viewFailed) setState('unavailable', viewFailed);
      else if (partitions.length === 0) setState('unavailable', `topic ${s.topic} not found`);
      else if (partitions.every((p) => p.leader < 0)) setState('unavailable', 'no partition of the topic has a leader');
      else if (!consumer.healthy() && Date.now() - (consumerDownSince ??= Date.now()) > CONSUMER_GRACE_MS) {
        setState('unavailable', 'consumer is restarting');
      } else if (!publisher.connected()) setState('unavailable', 'producer is reconnecting');
      else if (!consumer.healthy()) setState('ready', 'consumer is rejoining; live messages follow when it is back');
      else {
        consumerDownSince = undefined;
        setState('ready');
      }
      const offsets = await withTimeout(admin.fetchTopicOffsets(s.topic), 3000, 'watermarks').catch(() => []);
      for (const p of offsets) highs.set(p.partition, Number(p.high));
      probeFailingSince = undefined;
    } catch (error) {
      // One refused connection to a dead broker while others answer is not an outage: only
      // failures for a few seconds in a row are (the probe runs every second).
      probeFailingSince ??= Date.now();
      if (Date.now() - probeFailingSince >= PROBE_TOLERANCE_MS) setState('unavailable', `Kafka unreachable: ${(error as Error).message}`);
    } finally {
      probing = false;
    }
  };
  const probeTimer = setInterval(probe, s.probeIntervalMs ?? 1000);

  const connect = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        // How long each step took, in the log line below (a slow start says where it waited).
        const ms: Record<string, number> = {};
        const timed = async <T>(step: string, work: () => Promise<T>) => {
          const t = performance.now();
          const result = await work();
          ms[step] = Math.round(performance.now() - t);
          return result;
        };
        await timed('admin', () => admin.connect());
        const created = await timed('topic', () => ensureTopic(admin, s, log));
        await timed('sideProducer', () => sideProducer.connect());
        await timed('directory', () => directory.start());
        await timed('reports', () => reports.start());
        // Signals are best effort: the chat does not wait for their reader to join.
        signals.start().catch((error) => log.warn('the signals topic is not read; typing stays on this instance', { error }));
        // Only the instance that created the topic writes its epoch; the others wait for it (when
        // several start together, each writing its own would leave them with different epochs).
        // A topic without one after a while (its creator died first, or it predates epochs) gets one.
        epoch = created
          ? await timed('epoch', () => directory.newEpoch())
          : (directory.epoch() ?? (await timed('epoch', () => directory.awaitEpoch(EPOCH_WAIT_MS))) ?? (await directory.newEpoch()));
        const offsets = await admin.fetchTopicOffsets(s.topic);
        partitionCount = offsets.length;
        await timed('publisher', () => publisher.connect(offsets.length));
        // Where to read from: the durable view's stored positions, or (a new view) the earliest
        // retained offsets, rebuilding it from the log.
        const stored = await timed('view', async () => s.view?.open(s.topic, epoch) ?? new Map<number, number>());
        const starts = new Map(offsets.map((p) => [p.partition, Math.max(Number(p.low), stored.get(p.partition) ?? 0)]));
        if (stored.size === 0) await s.view?.begin(starts);
        await timed('consumer', () => consumer.start(starts));
        if (s.view) log.info(stored.size > 0 ? 'history resumes from its stored positions' : 'history is rebuilt from the earliest retained offsets', { starts: Object.fromEntries(starts) });
        connected = true;
        if (announceOwn) directory.announce(announceOwn);
        setState('ready');
        log.info('connected to Kafka', { brokers: s.brokers, topic: s.topic, groupId, epoch, ms });
        return;
      } catch (error) {
        setState('unavailable', `cannot connect to Kafka at ${s.brokers.join(',')}: ${(error as Error).message}`);
        await Bun.sleep(Math.min(5000, 500 * attempt));
      }
    }
  };
  void connect();

  const messages: MessageLog = {
    redact(record) {
      return publisher.publish(record.room, encodeRedactionRecord(record), Date.parse(record.timestamp));
    },
    sendPrivate(record) {
      return publisher.publish(privateThread(record.from, record.to), encodePrivateRecord(record), Date.parse(record.timestamp));
    },
    lockRoom(record) {
      return publisher.publish(record.room, encodeRoomPasscodeRecord(record), Date.parse(record.timestamp));
    },
    react(record) {
      return publisher.publish(record.room, encodeReactionRecord(record), Date.parse(record.timestamp));
    },
    timeOut(record) {
      return publisher.publish(record.room, encodeTimeoutRecord(record), Date.parse(record.timestamp));
    },
    setRoom(record) {
      return publisher.publish(record.room, encodeRoomSettingsRecord(record), Date.parse(record.timestamp));
    },
    publish(record) {
      const publication = publisher.publish(record.room, encodeChatRecord(record), Date.parse(record.timestamp));
      publication.answer.then(
        () => {
          if (state !== 'ready' && consumer.healthy() && publisher.connected()) setState('ready');
        },
        (error) => {
          if (error.kind !== 'busy') setState('unavailable', `Kafka produce failed: ${error.message}`);
        },
      );
      return publication;
    },
    subscribe: (listener) => void listeners.push(listener),
    barrier: (room) => barriers.barrier(room),
    partitionStart: (partition) => starts.get(partition) ?? 0,
    partitions: () => partitionCount,
    epoch: () => epoch,
    // Caught up once the consumer has read the log as it was at start and the view has it too
    // (while catching up the view is written batch by batch, so both happen together); it stays so.
    status() {
      if (!caughtUp && consumer.caughtUp() && viewWriter.idle()) caughtUp = true;
      return { state, reason, caughtUp, progress: consumer.progress(), since };
    },
    lag() {
      const out: Record<number, number> = {};
      for (const [p, high] of highs) out[p] = Math.max(0, high - (consumer.positions().get(p) ?? high));
      return out;
    },
  };

  return {
    messages,
    directory: {
      announce(own) {
        announceOwn = own;
        if (connected) directory.announce(own);
      },
      list: () => directory.list(),
      onlineElsewhere: (name) => directory.onlineElsewhere(name),
      namesIn: (room) => directory.namesIn(room),
    },
    inspector: {
      // Monitor pages poll every 2 s each: requests within a second share one inspection.
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
    },
    reports: { report: (r) => reports.report(r), dismiss: (id, by) => reports.dismiss(id, by), open: () => reports.open() },
    signals: { send: (signal) => signals.send(signal), subscribe: (listener) => signals.subscribe(listener) },
    async stop() {
      stopped = true;
      clearInterval(probeTimer);
      await withTimeout(publisher.stop(), 3000, 'in-flight sends').catch(() => {});
      await withTimeout(directory.stop(), 2000, 'instance directory').catch(() => {});
      await withTimeout(reports.stop(), 2000, 'reports').catch(() => {});
      await withTimeout(signals.stop(), 2000, 'signals').catch(() => {});
      await sideProducer.disconnect().catch(() => {});
      await consumer.stop();
      await withTimeout(viewWriter.flush(), 5000, 'history writes').catch(() => {}); // what was read is kept: the next start resumes after it
      await admin.disconnect().catch(() => {});
    },
  };
}
