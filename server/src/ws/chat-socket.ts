// GET /ws/chat: admission checks, then per-connection welcome/resume, chat and ping frames,
// rate limits, and the abuse close. Messages reach sockets only through the hub (from Kafka).
import { Hono, type Context } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { ServerWebSocket } from 'bun';
import type { ChatService } from '../chat/chat-service.ts';
import type { Connection, Hub } from '../chat/hub.ts';
import type { Metrics } from '../chat/metrics.ts';
import { generateName } from '../chat/names.ts';
import { makeBucket, type KeyedLimiter } from '../chat/rate-limit.ts';
import type { RoomHistory } from '../chat/room-history.ts';
import type { Tokens } from '../chat/tokens.ts';
import type { Config } from '../config.ts';
import { errorResponse } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import { CLOSE, decodeClientFrame, isValidRoom, MAX_TEXT_LENGTH, type ErrorCode } from '@anime-universe/protocol';
import { makeConnection } from './connection.ts';

export interface ChatSocketDeps {
  config: Config;
  hub: Hub;
  history: RoomHistory;
  chat: ChatService;
  tokens: Tokens;
  ipLimiter: KeyedLimiter;
  metrics: Metrics;
  upgradeWebSocket: UpgradeWebSocket<ServerWebSocket<unknown>>;
  /** Whether chat can be served now (Kafka ready, history loaded). */
  ready(): boolean;
  /** A name someone online uses, on this instance or another. */
  nameInUse(name: string): boolean;
  clientIp(c: Context): string;
  log: Logger;
}

export function chatSocketRoute(d: ChatSocketDeps) {
  const { config, hub, history, chat, tokens, log } = d;
  const { limits } = config;
  const perIp = new Map<string, number>();

  const admit = async (c: Context, next: () => Promise<void>) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return errorResponse(c, 'upgrade_required');
    const room = c.req.query('room') ?? config.rooms.default;
    if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
    const since = c.req.query('since');
    if (since !== undefined && !/^(-1|\d{1,15})$/.test(since)) {
      return errorResponse(c, 'invalid_request', '"since" must be the offset of the last message you saw.');
    }
    if ((perIp.get(d.clientIp(c)) ?? 0) >= limits.maxConnectionsPerIp) return errorResponse(c, 'too_many_connections');
    // Not ready (starting, or Kafka away): refuse new sockets so clients back off and resume
    // once history and sends work. Open sockets stay and get error frames for failed sends.
    if (!d.ready()) return errorResponse(c, 'kafka_unavailable', 'The chat is starting or Kafka is unavailable; retry shortly.', { 'Retry-After': '2' });
    await next();
  };

  const events = (c: Context) => {
    const ip = d.clientIp(c);
    const room = c.req.query('room') ?? config.rooms.default;
    const sinceParam = c.req.query('since');
    const owner = tokens.verify(c.req.query('token'));
    const bucket = makeBucket(limits.connPerSec, limits.connBurst);
    // Strikes refill over ~10 s: a burst of mistakes is forgiven, sustained abuse is not.
    const strikes = makeBucket(limits.abuseStrikes / 10, limits.abuseStrikes);
    let conn: Connection | undefined;

    const reject = (code: ErrorCode, message: string, clientId?: string, retryAfterMs?: number) => {
      if (!conn) return;
      d.metrics.recordError(code);
      if (code === 'rate_limited') d.metrics.recordRateLimited('ws');
      conn.send({ type: 'error', code, message, ...(clientId ? { clientId } : {}), ...(retryAfterMs ? { retryAfterMs } : {}) });
      if (strikes.take() > 0) {
        log.warn('closing abusive connection', { ip, username: conn.username });
        conn.close(CLOSE.abuse.code, CLOSE.abuse.reason);
      }
    };

    return {
      onOpen(_event: Event, ws: { raw?: ServerWebSocket<unknown> }) {
        const username = owner ?? generateName(d.nameInUse);
        conn = makeConnection(ws.raw as ServerWebSocket<unknown>, username, room, ip);
        perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
        const resume = sinceParam === undefined ? undefined : history.since(room, Number(sinceParam), config.history.perRoom);
        const messages = resume ? resume.messages : history.recent(room, config.history.welcome);
        conn.watermark = Math.max(sinceParam === undefined ? -1 : Number(sinceParam), history.latestOffset(room));
        hub.join(conn);
        const users = hub.online(room);
        conn.send({
          type: 'welcome', username, room, token: tokens.issue(username), history: messages,
          online: users.length, users, rooms: config.rooms.themed, recovered: resume?.complete ?? false,
          limits: { maxTextLength: MAX_TEXT_LENGTH, maxFrameBytes: limits.maxFrameBytes, messagesPerSecond: limits.connPerSec, burst: limits.connBurst },
          serverTime: new Date().toISOString(),
        });
      },
      async onMessage(event: MessageEvent) {
        if (!conn) return;
        const frame = decodeClientFrame(event.data as string | ArrayBuffer);
        if (!frame.ok) return reject(frame.error.code, frame.error.message, frame.error.clientId);
        if (frame.value.type === 'ping') return conn.send({ type: 'pong', t: frame.value.t });
        const { text, clientId } = frame.value;
        const wait = Math.max(bucket.take(), d.ipLimiter.take(ip));
        if (wait > 0) return reject('rate_limited', `Slow down: try again in ${Math.ceil(wait / 1000)} s.`, clientId, wait);
        // Success needs no reply here: the stored message comes back through Kafka and the hub,
        // which also covers a duplicate clientId (this socket either has it or is about to).
        const sent = await chat.send({ room, username: conn.username, text, clientId });
        if (!sent.ok) {
          d.metrics.recordError(sent.error.code);
          conn.send({ type: 'error', code: sent.error.code, message: sent.error.message, ...(clientId ? { clientId } : {}) });
        }
      },
      onClose() {
        if (!conn) return;
        hub.leave(conn);
        const n = (perIp.get(ip) ?? 1) - 1;
        if (n > 0) perIp.set(ip, n);
        else perIp.delete(ip);
      },
    };
  };

  return new Hono().get('/ws/chat', admit, d.upgradeWebSocket(events));
}
