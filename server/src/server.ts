// Wires config -> Kafka -> hub -> app -> Bun.serve, and owns the orderly shutdown.
import type { Server } from 'bun';
import { makeApp, makeClientIp } from './app.ts';
import { makeChatService } from './chat/chat-service.ts';
import { makeHub } from './chat/hub.ts';
import { makePacedFanout } from './chat/paced-fanout.ts';
import { makeFramePacker } from './chat/frame-packer.ts';
import { sampleLoopDelay } from './chat/loop-delay.ts';
import { makeMetrics } from './chat/metrics.ts';
import { makeKeyedLimiter } from './chat/rate-limit.ts';
import { makeRecentSends } from './chat/recent-sends.ts';
import { foldTimeouts, makeActionFeed, makeModeration } from './chat/moderation.ts';
import { makeRecentSources, makeSourceHash, makeTimeouts } from './chat/timeouts.ts';
import { makeFloodGuard } from './chat/flood-guard.ts';
import { makeRoomSettings } from './chat/room-settings.ts';
import { makeReactions } from './chat/reactions.ts';
import { makeRoomLocks } from './chat/room-locks.ts';
import { makePrivateMessages, userTopic } from './chat/private-messages.ts';
import { NO_PRIVATE } from './kafka/instance-directory.ts';
import { encodeFrame } from '@anime-universe/protocol';
import { makeRoomSignals } from './chat/room-signals.ts';
import { loadWordFilter } from './chat/word-filter.ts';
import { makeRoomHistory } from './chat/room-history.ts';
import { makeHistoryStore } from './history/history-store.ts';
import { makeHistoryView } from './history/history-view.ts';
import { partitionFor } from './kafka/partition.ts';
import type { DurableView } from './kafka/message-log.ts';
import { makeTokens } from './chat/tokens.ts';
import { generateName } from './chat/names.ts';
import type { Config } from './config.ts';
import { startKafka, type KafkaSettings } from './kafka/kafka-log.ts';
import type { Logger } from './log.ts';
import { CLOSE } from '@anime-universe/protocol';
import { withTimeout } from './with-timeout.ts';
import { makeChatSocket, type SocketData } from './ws/chat-socket.ts';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, closes sockets with "server restarting", flushes and leaves Kafka. */
  stop(): Promise<void>;
}

export function startChatServer(config: Config, log: Logger, extra: Pick<KafkaSettings, 'socketFactory'> = {}): RunningServer {
  let server: Server<SocketData> | undefined;
  // What one tick publishes to a room goes out as one packed message per socket.
  const packer = makeFramePacker({ publish: (topic, data) => void server?.publish(topic, data) });
  const fanout = makePacedFanout(packer, {
    ...config.fanout, audience: (topic) => server?.subscriberCount(topic) ?? 0,
  });
  // Timeouts: folded from the log (and loaded from the read model when it opens), enforced on every send.
  const timeouts = makeTimeouts();
  const rooms = makeRoomSettings();
  const locks = makeRoomLocks(config.tokenSecret);
  const actions = makeActionFeed();
  const sources = makeRecentSources();
  const sourceOf = makeSourceHash(config.tokenSecret);
  const store = makeHistoryStore(config.history.db, log);
  const view: DurableView = {
    async open(topic, epoch) {
      const positions = await store.open(topic, epoch);
      timeouts.load(store.reader()?.activeTimeouts(Date.now()) ?? []); // those read before this start
      rooms.load(store.reader()?.roomSettings() ?? []);
      locks.load(store.reader()?.roomPasscodes() ?? []);
      return positions;
    },
    begin: store.begin,
    apply: store.apply,
  };
  const kafka = startKafka({ ...config.kafka, instanceId: config.instanceId, view, ...extra }, log);
  const cache = makeRoomHistory(config.history.perRoom, config.history.maxRooms);
  const partitionOf = (room: string) => partitionFor(room, Math.max(1, kafka.messages.partitions()));
  const history = makeHistoryView(cache, store.reader, partitionOf);
  // Messages past the topic's retention leave the read model too (checked hourly).
  const pruneTimer = setInterval(() => {
    if (!store.reader()) return; // not open yet
    store.prune(new Date(Date.now() - config.kafka.retentionMs))
      .then((pruned) => pruned > 0 && log.info('pruned messages past retention from the history database', { pruned }))
      .catch((error) => log.warn('pruning the history database failed', { error }));
  }, 3_600_000);
  const hub = makeHub({
    history: cache, fanout, partitionStart: kafka.messages.partitionStart,
    presenceIntervalMs: config.presence.intervalMs, rejoinGraceMs: config.presence.rejoinGraceMs,
    remote: (room) => kafka.directory.namesIn(room),
  });
  const metrics = makeMetrics();
  const stopLoopSampler = sampleLoopDelay(metrics.recordLoopDelay);
  const flood = makeFloodGuard(config.moderation.flood);
  const autoTimeOut = (name: string, room: string, reason: string) => {
    log.warn('timing out a flooding sender', { name, room, reason });
    void moderation.timeOut({ name, room, minutes: config.moderation.flood.timeoutMinutes, by: 'auto:flood', reason });
  };
  const words = loadWordFilter(config.moderation.wordlist);
  const chat = makeChatService(kafka.messages, makeRecentSends(), {
    ...config.kafka, onStored: hub.deliverAcknowledged, timeouts, sources, flood, rooms, find: (room, offset) => history.find(room, offset),
    ...(words ? { words: { filter: words, action: config.moderation.wordlistAction } } : {}),
    // Past its strikes, a flooding sender is timed out on the log: every instance then refuses it.
    onFlood: (req, reason) => autoTimeOut(req.username, req.room, reason),
  }, metrics, log);
  const foldTimeoutEvents = foldTimeouts({ timeouts, sources, messages: kafka.messages, live: () => kafka.messages.status().caughtUp, log });
  kafka.messages.subscribe((partition, messages, through, events) => {
    metrics.recordConsumed(messages.length);
    hub.deliver(partition, messages, through, events);
    chat.remember(messages);
    if (events.length === 0) return;
    actions.add(events);
    foldTimeoutEvents(events);
    for (const e of events) {
      if (e.kind === 'settings') rooms.apply(e);
      else if (e.kind === 'dm') {
        // Only the two names' sockets (on every instance) get it.
        const frame = encodeFrame({ type: 'dm', message: e.message });
        fanout.publish(userTopic(e.message.from), frame);
        fanout.publish(userTopic(e.message.to), frame);
        privateMessages.remember(e.message);
      } else if (e.kind === 'passcode') {
        locks.apply(e);
        socket.closeDenied(e.room); // anyone already sitting in the new room without a grant
      }
    }
  });
  kafka.directory.announce(() => {
    // Each name with the rooms it is in here, built once per round (every name's record says its rooms).
    const roomsByName = hub.nameRooms();
    const roomsOf = (name: string) => {
      const rooms = roomsByName.get(name) ?? [];
      return socket.dmsOff(name) ? [...rooms, NO_PRIVATE] : rooms;
    };
    return { connections: hub.connectionCount(), rooms: hub.roomCounts(), names: roomsByName.keys(), roomsOf };
  });

  const tokens = makeTokens(config.tokenSecret);
  const ipLimiter = makeKeyedLimiter(config.limits.ipPerSec, config.limits.ipBurst);
  // A name is taken while online anywhere, and for good once it has private messages (its token
  // alone opens them; the name is never given to someone else).
  const nameInUse = (name: string) => hub.isOnline(name) || kafka.directory.onlineElsewhere(name) || (store.reader()?.hasPrivate(name) ?? false);
  const clientIp = makeClientIp(config.trustedProxies);
  // Here now, plus what the other instances last reported (every INSTANCE_STATS_INTERVAL_MS).
  const onlineIn = (room: string) => (hub.roomCounts()[room] ?? 0)
    + kafka.directory.list().filter((i) => i.id !== config.instanceId).reduce((n, i) => n + (i.rooms[room] ?? 0), 0);
  const roomSignals = makeRoomSignals({ fanout, signals: kafka.signals, timeouts, onRenamed: hub.renamed });
  const privateMessages = makePrivateMessages(kafka.messages, {
    isOnline: (name) => hub.isOnline(name) || kafka.directory.onlineElsewhere(name),
    accepts: (name) => !socket.dmsOff(name) && !kafka.directory.namesIn(NO_PRIVATE).has(name),
    hasThread: (a, b) => (store.reader()?.privateBefore(a, b, undefined, 1).messages.length ?? 0) > 0,
    timeouts, sendTimeoutMs: config.kafka.sendTimeoutMs,
  }, log);
  const reactions = makeReactions(kafka.messages, { find: history.find, timeouts }, log);
  const socket = makeChatSocket({
    config, hub, history, messages: kafka.messages, chat, reactions, privateMessages, tokens, ipLimiter, metrics, nameInUse, clientIp, sourceOf, sources, arrived: (source) => flood.arrived(source), slowModeOf: rooms.slowMode,
    typing: roomSignals.typing,
    mayEnter: locks.mayEnter, isLocked: locks.isLocked,
    mayPost: (username, source) => timeouts.remaining(username, source) <= 0,
    rename(ws) {
      // A new name nobody online uses; this socket moves to it and the room is told.
      const from = ws.username;
      const to = generateName(nameInUse);
      hub.rename(ws, to);
      roomSignals.renamed(ws.room, from, to);
      return to;
    },
    onAbuse: (who) => autoTimeOut(who.username, who.room, 'closed for flooding the socket'), log,
    ready: () => kafka.messages.status().state === 'ready' && kafka.messages.status().caughtUp,
  });
  const moderation = makeModeration(kafka.messages, { find: history.find, sourceOf: sources.of, authorDeleteWindowMs: config.moderation.authorDeleteWindowMs }, log);
  const app = makeApp({
    config, messages: kafka.messages, directory: kafka.directory, inspector: kafka.inspector, hub, chat, moderation, reports: kafka.reports, findMessage: history.find, actions: actions.list, sourceOf, tokens, metrics,
    ipLimiter, socketRoute: socket.route, nameInUse, clientIp, log, readModel: store.reader, partitionOf, onlineIn, locks, latestOffset: history.latestOffset,
  });

  server = Bun.serve<SocketData>({
    port: config.port,
    hostname: config.host,
    fetch: app.fetch,
    maxRequestBodySize: 1 << 20,
    websocket: {
      ...socket.websocket,
      maxPayloadLength: config.limits.maxFrameBytes,
      idleTimeout: 60,
      sendPings: true,
      backpressureLimit: config.limits.backpressureBytes,
      closeOnBackpressureLimit: true,
      publishToSelf: true,
    },
  });
  const port = server.port as number;
  log.info('chat server listening', { url: `http://localhost:${port}`, instance: config.instanceId });

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop() {
      stopping ??= (async () => {
        const closing = server.stop(); // stop accepting; resolves when open requests finish
        fanout.stop(); // frames held back go out before the sockets close
        packer.stop();
        socket.closeAll(CLOSE.serverRestart.code, CLOSE.serverRestart.reason);
        hub.stop();
        stopLoopSampler();
        clearInterval(pruneTimer);
        await kafka.stop();
        await store.close();
        await withTimeout(closing, 1000, 'server stop').catch(() => server?.stop(true));
        log.info('chat server stopped', { instance: config.instanceId });
      })();
      return stopping;
    },
  };
}
