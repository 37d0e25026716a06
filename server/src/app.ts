// Builds the Hono app from its parts. Everything is passed in, so tests can build one too.
import { Hono, type Context } from 'hono';
import { getConnInfo } from 'hono/bun';
import { HTTPException } from 'hono/http-exception';
import type { ChatService } from './chat/chat-service.ts';
import type { Moderation } from './chat/moderation.ts';
import type { Hub } from './chat/hub.ts';
import type { Metrics } from './chat/metrics.ts';
import type { KeyedLimiter } from './chat/rate-limit.ts';
import type { Tokens } from './chat/tokens.ts';
import type { Config } from './config.ts';
import { errorResponse } from './error-response.ts';
import { clientAddress } from './http/client-address.ts';
import { healthRoute } from './http/health-route.ts';
import { historyRoute } from './http/history-route.ts';
import type { ReadQueries } from './history/read-queries.ts';
import { monitorRoute } from './http/monitor-route.ts';
import { moderationRoute } from './http/moderation-route.ts';
import { reportRoute } from './http/report-route.ts';
import { roomLockRoute } from './http/room-lock-route.ts';
import { privateRoute } from './http/private-route.ts';
import type { RoomLocks } from './chat/room-locks.ts';
import type { ReportLog } from './kafka/report-log.ts';
import { makeKeyedLimiter } from './chat/rate-limit.ts';
import type { ChatMessage, ModerationAction } from '@anime-universe/protocol';
import { securityHeaders } from './http/security-headers.ts';
import { sendRoute } from './http/send-route.ts';
import { staticRoute } from './http/static-route.ts';
import type { InstanceDirectoryView, KafkaInspector, MessageLog } from './kafka/message-log.ts';
import type { Logger } from './log.ts';

export interface AppDeps {
  config: Config;
  messages: MessageLog;
  directory: InstanceDirectoryView;
  inspector: KafkaInspector;
  hub: Hub;
  chat: ChatService;
  moderation: Moderation;
  reports: Pick<ReportLog, 'report' | 'dismiss' | 'open'>;
  /** The room's message at an offset, from this instance's history. */
  findMessage(room: string, offset: number): ChatMessage | undefined;
  /** The latest moderation records read, for the monitor. */
  actions?(): ModerationAction[];
  /** The address as the log may name it (for timeouts). */
  sourceOf?(address: string): string;
  tokens: Tokens;
  metrics: Metrics;
  ipLimiter: KeyedLimiter;
  /** The WebSocket route (GET /ws/chat). */
  socketRoute: Hono;
  /** The read model, once the log's epoch is known; and which partition holds a room. */
  readModel(): ReadQueries | undefined;
  partitionOf(room: string): number;
  /** Connections in a room across all instances. */
  onlineIn(room: string): number;
  nameInUse(name: string): boolean;
  /** Passcode rooms (none when absent). */
  locks?: RoomLocks;
  /** The newest offset of a room, from the history (-1: none). */
  latestOffset?(room: string): number;
  /** The client's address (see makeClientIp); shared with the WebSocket route. */
  clientIp(c: Context): string;
  log: Logger;
}

/** The client's address: the socket's peer, or behind a trusted proxy what the proxy forwarded. */
export function makeClientIp(trusted: ReadonlySet<string>): (c: Context) => string {
  return (c) => {
    let peer: string;
    try {
      peer = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      peer = 'unknown'; // app.request() in tests has no socket
    }
    if (trusted.size === 0) return peer;
    return clientAddress(peer, { xForwardedFor: c.req.header('x-forwarded-for'), forwarded: c.req.header('forwarded') }, trusted);
  };
}

/** Reports a client address may send per minute. */
const REPORTS_PER_MINUTE = 5;
/** Passcode tries a client address may make per room and minute. */
const PASSCODE_TRIES_PER_MINUTE = 5;

export function makeApp(d: AppDeps): Hono {
  const { config } = d;
  const { clientIp } = d;
  const app = new Hono();
  app.use('*', securityHeaders());
  app.route('/', healthRoute({ messages: d.messages, hub: d.hub, instanceId: config.instanceId, topic: config.kafka.topic }));
  app.route('/', monitorRoute({
    messages: d.messages, directory: d.directory, inspector: d.inspector, hub: d.hub, metrics: d.metrics,
    instanceId: config.instanceId, monitorToken: config.monitorToken, clientIp, actions: d.actions,
  }));
  const mayEnter = (room: string, grant: string | undefined) => d.locks?.mayEnter(room, grant) ?? true;
  app.route('/', sendRoute({
    mayEnter,
    chat: d.chat, nameInUse: d.nameInUse, tokens: d.tokens, ipLimiter: d.ipLimiter, clientIp, metrics: d.metrics, sourceOf: d.sourceOf, moderators: config.moderation.tokens,
    defaultRoom: config.rooms.default, maxBodyBytes: config.limits.maxBodyBytes,
  }));
  app.route('/', historyRoute({
    readModel: d.readModel, partitionOf: d.partitionOf, ipLimiter: d.ipLimiter, clientIp,
    themedRooms: config.rooms.themed, onlineIn: d.onlineIn, mayEnter, isLocked: (room) => d.locks?.isLocked(room) ?? false,
  }));
  if (d.locks) {
    app.route('/', roomLockRoute({
      locks: d.locks, messages: d.messages, latestOffset: d.latestOffset ?? (() => -1), themedRooms: config.rooms.themed, clientIp,
      attempts: makeKeyedLimiter(PASSCODE_TRIES_PER_MINUTE / 60, PASSCODE_TRIES_PER_MINUTE), sendTimeoutMs: config.kafka.sendTimeoutMs, log: d.log,
    }));
  }
  app.route('/', moderationRoute({
    moderation: d.moderation, moderators: config.moderation.tokens, tokens: d.tokens, ipLimiter: d.ipLimiter, clientIp, defaultRoom: config.rooms.default,
  }));
  app.route('/', reportRoute({
    reports: d.reports, find: d.findMessage, moderators: config.moderation.tokens, tokens: d.tokens, clientIp, log: d.log,
    reportLimiter: makeKeyedLimiter(REPORTS_PER_MINUTE / 60, REPORTS_PER_MINUTE),
  }));
  app.route('/', privateRoute({ tokens: d.tokens, readModel: d.readModel, ipLimiter: d.ipLimiter, clientIp }));
  app.all('/private/*', (c) => errorResponse(c, 'not_found'));
  app.all('/rooms/*', (c) => errorResponse(c, 'not_found')); // the API's namespace: JSON, never the page
  app.route('/', d.socketRoute);
  app.all('/chat/send', (c) => errorResponse(c, 'invalid_request', 'Use POST with a JSON body.'));
  app.route('/', staticRoute(config.clientDist));
  app.notFound((c) => errorResponse(c, 'not_found'));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse(); // middleware refusals carry their response
    d.log.error('unhandled error', { path: c.req.path, error });
    return errorResponse(c, 'internal');
  });
  return app;
}
