// GET /ws/chat: admission checks in Hono, then Bun's native WebSocket handlers with the
// connection's state in ws.data (no closures or wrappers per socket). On open the socket gets
// its welcome (history or the exact resume) and subscribes to its room's topic in the same tick,
// so it sees every later message once: no gap, no repeat.
// What an open socket may send, and what each frame does, is in socket-frames.ts.
import type { Server, ServerWebSocket, WebSocketHandler } from 'bun';
import { Hono, type Context } from 'hono';
import type { ChatService } from '../chat/chat-service.ts';
import type { ReactionService } from '../chat/reactions.ts';
import { userTopic, type PrivateMessages } from '../chat/private-messages.ts';
import { roomTopic, type Hub } from '../chat/hub.ts';
import type { Metrics } from '../chat/metrics.ts';
import { generateName } from '../chat/names.ts';
import { makeBucket, type KeyedLimiter } from '../chat/rate-limit.ts';
import type { HistoryReader } from '../history/history-view.ts';
import type { Tokens } from '../chat/tokens.ts';
import type { RecentSources } from '../chat/timeouts.ts';
import type { Config } from '../config.ts';
import { errorResponse } from '../error-response.ts';
import type { MessageLog } from '../kafka/message-log.ts';
import type { Logger } from '../log.ts';
import {
  CLOSE, encodeFrame, isValidRoom, MAX_TEXT_LENGTH, type ErrorCode, type ServerFrame,
} from '@anime-universe/protocol';
import { originAllowed } from './origin.ts';
import { sendBackfill } from './backfill.ts';
import { resumeFrom } from './resume.ts';
import { makeFrameHandler } from './socket-frames.ts';

export interface SocketData {
  username: string;
  room: string;
  ip: string;
  /** The address as the log may name it (for timeouts). */
  source?: string;
  /** When this socket last took a new name. */
  renamedAt?: number;
  /** When this socket last said it is typing (signals closer together are dropped). */
  typedAt?: number;
  /** Set by a `moderate` frame with a moderator secret. */
  moderator?: string;
  since?: number;
  epoch?: string;
  /** This socket takes no private messages (`dms=off` on the URL). */
  dmsOff?: true;
  /** A grant for a passcode room (from the socket URL). */
  grant?: string;
  /** The room needs a passcode and the socket has no grant: told so and closed on open. */
  denied?: true;
  bucket: ReturnType<typeof makeBucket>;
  /** Invalid frames. */
  strikes: ReturnType<typeof makeBucket>;
  /** Frames sent while told to wait; only a client far beyond the limit empties it. */
  ignored: ReturnType<typeof makeBucket>;
}

export type ChatWebSocket = ServerWebSocket<SocketData>;

export interface ChatSocketDeps {
  config: Config;
  hub: Hub;
  history: HistoryReader;
  messages: Pick<MessageLog, 'epoch'>;
  chat: ChatService;
  reactions?: ReactionService;
  privateMessages?: PrivateMessages;
  tokens: Tokens;
  ipLimiter: KeyedLimiter;
  metrics: Metrics;
  /** Whether chat can be served now (Kafka ready, history loaded). */
  ready(): boolean;
  /** A name someone online uses, on this instance or another. */
  nameInUse(name: string): boolean;
  clientIp(c: Context): string;
  /** The address as the log may name it, and where each name was seen (for timeouts). */
  sourceOf?(address: string): string;
  sources?: RecentSources;
  /** A chatter from this source connected (new arrivals wait before posting). */
  arrived?(source: string): void;
  /** An open room, or a passcode room with a grant for it. */
  mayEnter?(room: string, grant: string | undefined): boolean;
  /** Whether a room needs a passcode. */
  isLocked?(room: string): boolean;
  /** Gives the socket's member a new name (the hub and the room are told); returns it. */
  rename?(member: { username: string; room: string }): string;
  /** Whether a name (from a source) may post now (not timed out). */
  mayPost?(username: string, source: string | undefined): boolean;
  /** Someone is typing in a room: tell the room here and on the other instances. */
  typing?(room: string, name: string, source: string | undefined): void;
  /** The room's slow mode in seconds (0: off). */
  slowModeOf?(room: string): number;
  /** A socket is closed for abuse (a burst far beyond the limit, or junk): time its sender out. */
  onAbuse?(who: { username: string; room: string }): void;
  log: Logger;
}

export interface ChatSocket {
  route: Hono;
  websocket: WebSocketHandler<SocketData>;
  /** Closes every socket (server shutdown). */
  closeAll(code: number, reason: string): void;
  /** Closes the sockets of a room that has just been locked and that came without a grant. */
  closeDenied(room: string): void;
  /** Whether a socket of this name here turned private messages off. */
  dmsOff(name: string): boolean;
}


export function makeChatSocket(d: ChatSocketDeps): ChatSocket {
  const { config, hub, history, tokens, log } = d;
  const { limits } = config;
  const perIp = new Map<string, number>();
  const sockets = new Set<ChatWebSocket>();
  const dmOff = new Map<string, number>(); // name -> its sockets here that take no private messages
  const forgetDmOff = (name: string) => {
    const n = (dmOff.get(name) ?? 1) - 1;
    if (n > 0) dmOff.set(name, n);
    else dmOff.delete(name);
  };
  const send = (ws: ChatWebSocket, frame: ServerFrame) => ws.send(encodeFrame(frame));

  const refuse = (ws: ChatWebSocket, code: ErrorCode, message: string, clientId?: string, retryAfterMs?: number) => {
    d.metrics.recordError(code);
    send(ws, { type: 'error', code, message, ...(clientId ? { clientId } : {}), ...(retryAfterMs ? { retryAfterMs } : {}) });
  };
  const strike = (ws: ChatWebSocket, bucket: 'strikes' | 'ignored' = 'strikes') => {
    if (ws.data[bucket].take() === 0) return;
    log.warn('closing abusive connection', { ip: ws.data.ip, username: ws.data.username });
    d.onAbuse?.(ws.data);
    ws.close(CLOSE.abuse.code, CLOSE.abuse.reason);
  };
  const handleFrame = makeFrameHandler(d, {
    send, refuse, strike, dmOffAdd: (name) => void dmOff.set(name, (dmOff.get(name) ?? 0) + 1), dmOffForget: forgetDmOff,
  });

  const route = new Hono().get('/ws/chat', (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return errorResponse(c, 'upgrade_required');
    if (!originAllowed(c.req.header('origin'), c.req.header('host'), config.allowedOrigins)) return errorResponse(c, 'origin_forbidden');
    const room = c.req.query('room') ?? config.rooms.default;
    if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
    const since = c.req.query('since');
    if (since !== undefined && !/^(-1|\d{1,15})$/.test(since)) {
      return errorResponse(c, 'invalid_request', '"since" must be the offset of the last message you saw.');
    }
    const dms = c.req.query('dms');
    if (dms !== undefined && dms !== 'on' && dms !== 'off') return errorResponse(c, 'invalid_request', '"dms" must be on or off.');
    const grant = c.req.query('grant');
    if (grant !== undefined && grant.length > 200) return errorResponse(c, 'invalid_request', '"grant" is too long.');
    const epoch = c.req.query('epoch');
    if (epoch !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(epoch)) return errorResponse(c, 'invalid_request', '"epoch" must be the epoch of the welcome.');
    const ip = d.clientIp(c);
    if ((perIp.get(ip) ?? 0) >= limits.maxConnectionsPerIp) return errorResponse(c, 'too_many_connections');
    // Not ready (starting, or Kafka away): refuse new sockets so clients back off and resume
    // once history and sends work. Open sockets stay and get error frames for failed sends.
    if (!d.ready()) return errorResponse(c, 'kafka_unavailable', 'The chat is starting or Kafka is unavailable; retry shortly.', { 'Retry-After': '2' });
    const server = c.env as Server<SocketData> | undefined;
    const data: SocketData = {
      username: tokens.verify(c.req.query('token')) ?? generateName(d.nameInUse),
      room, ip, source: d.sourceOf?.(ip), since: since === undefined ? undefined : Number(since), epoch, ...(grant ? { grant } : {}), ...(dms === 'off' ? { dmsOff: true as const } : {}),
      ...(d.mayEnter && !d.mayEnter(room, grant) ? { denied: true as const } : {}),
      bucket: makeBucket(limits.connPerSec, limits.connBurst),
      strikes: makeBucket(limits.abuseStrikes / 10, limits.abuseStrikes), // forgiven over ~10 s
      ignored: makeBucket((5 * limits.abuseStrikes) / 10, 5 * limits.abuseStrikes),
    };
    if (!server?.upgrade(c.req.raw, { data })) return errorResponse(c, 'upgrade_required');
    return new Response(null); // the runtime has taken the socket; this response is not sent
  });

  const websocket: WebSocketHandler<SocketData> = {
    open(ws) {
      const { username, room, ip } = ws.data;
      if (ws.data.denied) {
        // Told in a frame the page can read (a refused upgrade shows only as a failed socket).
        send(ws, { type: 'error', code: 'passcode_required', message: 'This room needs its passcode.' });
        return ws.close(CLOSE.passcodeRequired.code, CLOSE.passcodeRequired.reason);
      }
      if (ws.data.source) {
        d.sources?.see(username, ws.data.source);
        d.arrived?.(ws.data.source);
      }
      sockets.add(ws);
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      const epoch = d.messages.epoch();
      hub.settle(room); // frames held back go to the current subscribers, not into this snapshot twice
      const resume = resumeFrom(history, room, ws.data.since, ws.data.epoch, epoch, { welcome: config.history.welcome, maxBytes: limits.backpressureBytes / 4 });
      hub.join(ws.data);
      send(ws, {
        type: 'welcome', username, room, token: tokens.issue(username), history: resume.messages,
        online: hub.online(room), rooms: config.rooms.themed, epoch, recovered: resume.recovered,
        ...(resume.backfill.length > 0 ? { backfill: resume.backfill.length } : {}), ...(resume.reset ? { reset: true } : {}),
        ...(resume.updated.length > 0 ? { updated: resume.updated } : {}),
        ...(d.slowModeOf?.(room) ? { slowModeSeconds: d.slowModeOf(room) } : {}), ...(d.isLocked?.(room) ? { locked: true as const } : {}),
        limits: {
          maxTextLength: MAX_TEXT_LENGTH, maxFrameBytes: limits.maxFrameBytes, messagesPerSecond: limits.connPerSec, burst: limits.connBurst,
          authorDeleteWindowMs: config.moderation.authorDeleteWindowMs,
        },
        serverTime: new Date().toISOString(),
      });
      ws.subscribe(roomTopic(room)); // same tick as the snapshot above
      ws.subscribe(userTopic(username)); // private messages to and from this name
      if (ws.data.dmsOff) dmOff.set(username, (dmOff.get(username) ?? 0) + 1);
      if (resume.backfill.length > 0) void sendBackfill(ws, room, resume.backfill, limits.backpressureBytes, (frame) => send(ws, frame));
    },
    message: (ws, raw) => handleFrame(ws, raw),
    close(ws) {
      if (!sockets.delete(ws)) return;
      hub.leave(ws.data);
      if (ws.data.dmsOff) forgetDmOff(ws.data.username);
      const n = (perIp.get(ws.data.ip) ?? 1) - 1;
      if (n > 0) perIp.set(ws.data.ip, n);
      else perIp.delete(ws.data.ip);
    },
  };

  return {
    route,
    websocket,
    closeAll(code, reason) {
      for (const ws of [...sockets]) ws.close(code, reason);
    },
    dmsOff: (name) => dmOff.has(name),
    closeDenied(room) {
      for (const ws of [...sockets]) {
        if (ws.data.room !== room || d.mayEnter?.(room, ws.data.grant) !== false) continue;
        send(ws, { type: 'error', code: 'passcode_required', message: 'This room now needs a passcode.' });
        ws.close(CLOSE.passcodeRequired.code, CLOSE.passcodeRequired.reason);
      }
    },
  };
}
