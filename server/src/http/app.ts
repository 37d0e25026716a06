// Builds the Hono app from its parts. Everything is passed in, so tests can build one too.
import { Hono, type Context } from 'hono';
import { getConnInfo, upgradeWebSocket } from 'hono/bun';
import type { ChatService } from '../chat/chat-service.ts';
import type { Hub } from '../chat/hub.ts';
import type { Metrics } from '../chat/metrics.ts';
import { makeKeyedLimiter } from '../chat/rate-limit.ts';
import type { RoomHistory } from '../chat/room-history.ts';
import type { Tokens } from '../chat/tokens.ts';
import type { Config } from '../config.ts';
import type { ChatLog } from '../kafka/chat-log.ts';
import type { Logger } from '../log.ts';
import { chatSocketRoute } from '../ws/chat-socket.ts';
import { errorResponse } from './errors.ts';
import { healthRoute } from './health-route.ts';
import { monitorRoute } from './monitor-route.ts';
import { sendRoute } from './send-route.ts';
import { staticRoute } from './static-route.ts';

export interface AppDeps {
  config: Config;
  chatLog: ChatLog;
  hub: Hub;
  history: RoomHistory;
  chat: ChatService;
  tokens: Tokens;
  metrics: Metrics;
  log: Logger;
}

function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function makeApp(d: AppDeps): Hono {
  const { config } = d;
  const ipLimiter = makeKeyedLimiter(config.limits.ipPerSec, config.limits.ipBurst);
  const nameInUse = (name: string) => d.hub.isOnline(name) || d.chatLog.onlineElsewhere(name);
  const app = new Hono();
  app.route('/', healthRoute({ chatLog: d.chatLog, hub: d.hub, instanceId: config.instanceId, topic: config.kafka.topic }));
  app.route('/', monitorRoute({
    chatLog: d.chatLog, hub: d.hub, metrics: d.metrics, instanceId: config.instanceId, monitorToken: config.monitorToken, clientIp,
  }));
  app.route('/', sendRoute({
    chat: d.chat, nameInUse, tokens: d.tokens, ipLimiter, clientIp, metrics: d.metrics,
    defaultRoom: config.rooms.default, maxBodyBytes: config.limits.maxBodyBytes,
  }));
  app.route('/', chatSocketRoute({
    config, hub: d.hub, history: d.history, chat: d.chat, tokens: d.tokens, ipLimiter, clientIp, metrics: d.metrics,
    ready: () => d.chatLog.status().state === 'ready' && d.chatLog.status().caughtUp,
    nameInUse,
    upgradeWebSocket: upgradeWebSocket as never, log: d.log,
  }));
  app.all('/chat/send', (c) => errorResponse(c, 'invalid_request', 'Use POST with a JSON body.'));
  app.route('/', staticRoute(config.clientDist));
  app.notFound((c) => errorResponse(c, 'not_found'));
  app.onError((error, c) => {
    d.log.error('unhandled error', { path: c.req.path, error });
    return errorResponse(c, 'internal');
  });
  return app;
}
