// Wires config -> Kafka log -> hub -> app -> Bun.serve, and owns the orderly shutdown.
import { websocket } from 'hono/bun';
import { makeChatService, type ChatService } from './chat/chat-service.ts';
import { makeHub } from './chat/hub.ts';
import { makeMetrics } from './chat/metrics.ts';
import { makeRecentSends } from './chat/recent-sends.ts';
import { makeRoomHistory } from './chat/room-history.ts';
import { makeTokens } from './chat/tokens.ts';
import type { Config } from './config.ts';
import { makeApp } from './http/app.ts';
import { startKafkaChatLog } from './kafka/kafka-chat-log.ts';
import type { Logger } from './log.ts';
import { CLOSE } from '@anime-universe/protocol';
import { withTimeout } from './with-timeout.ts';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, closes sockets with "server restarting", flushes and leaves Kafka. */
  stop(): Promise<void>;
}

export function startChatServer(config: Config, log: Logger): RunningServer {
  const history = makeRoomHistory(config.history.perRoom, config.history.maxRooms);
  const hub = makeHub(history);
  const metrics = makeMetrics();
  let chat: ChatService | undefined;
  const chatLog = startKafkaChatLog({
    ...config.kafka,
    instanceId: config.instanceId,
  }, {
    onMessage(message, partition) {
      metrics.recordConsumed();
      hub.deliver(message, partition);
      chat?.remember(message);
    },
    onPartitionStarts: (starts) => hub.setPartitionStarts(starts),
    instanceStats: () => ({ connections: hub.connectionCount(), rooms: hub.roomCounts(), names: hub.names() }),
  }, log);
  chat = makeChatService(chatLog, makeRecentSends(), config.kafka.sendTimeoutMs, metrics, log);
  const tokens = makeTokens(config.tokenSecret);
  const app = makeApp({ config, chatLog, hub, history, chat, tokens, metrics, log });

  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: app.fetch,
    maxRequestBodySize: 1 << 20,
    websocket: {
      ...websocket,
      maxPayloadLength: config.limits.maxFrameBytes,
      idleTimeout: 60,
      sendPings: true,
      backpressureLimit: 1 << 20,
      publishToSelf: false,
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
        for (const conn of [...hub.all()]) conn.close(CLOSE.serverRestart.code, CLOSE.serverRestart.reason);
        await chatLog.stop();
        await withTimeout(closing, 1000, 'server stop').catch(() => server.stop(true));
        log.info('chat server stopped', { instance: config.instanceId });
      })();
      return stopping;
    },
  };
}
