// GET /ws/chat: admission checks in Hono, then Bun's native WebSocket handlers with the
// connection's state in ws.data (no closures or wrappers per socket). On open the socket gets
// its welcome (history or the exact resume) and subscribes to its room's topic in the same tick,
// so it sees every later message once: no gap, no repeat.
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
  CLOSE, decodeClientFrame, encodeFrame, isValidRoom, MAX_TEXT_LENGTH, type ErrorCode, type ServerFrame,
} from '@anime-universe/protocol';
import { originAllowed } from './origin.ts';
import { sendBackfill } from './backfill.ts';
import { resumeFrom } from './resume.ts';

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

const USERS_PAGE = 200;
/** The least time between two name changes of one socket. */
const RENAME_EVERY_MS = 30_000;
/** The least time between two typing signals of one socket that are passed on. */
const TYPING_EVERY_MS = 2000;

export function makeChatSocket(d: ChatSocketDeps): ChatSocket {
  const { config, hub, history, chat, tokens, log } = d;
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
    async message(ws, raw) {
      const frame = decodeClientFrame(raw);
      if (!frame.ok) {
        refuse(ws, frame.error.code, frame.error.message, frame.error.clientId);
        return strike(ws);
      }
      const f = frame.value;
      if (f.type === 'ping') return void send(ws, { type: 'pong', t: f.t });
      if (f.type === 'rename') {
        const now = Date.now();
        if (!d.rename) return void refuse(ws, 'invalid_request', 'This server does not change names.');
        if (d.mayPost && !d.mayPost(ws.data.username, ws.data.source)) return void refuse(ws, 'timed_out', 'You are timed out; you cannot change your name now.');
        const wait = RENAME_EVERY_MS - (now - (ws.data.renamedAt ?? 0));
        if (wait > 0) return void refuse(ws, 'rate_limited', `You can take another name in ${Math.ceil(wait / 1000)} s.`, undefined, wait);
        ws.data.renamedAt = now;
        const from = ws.data.username;
        const to = d.rename({ username: from, room: ws.data.room });
        ws.data.username = to;
        ws.unsubscribe(userTopic(from));
        ws.subscribe(userTopic(to));
        if (ws.data.dmsOff) {
          forgetDmOff(from);
          dmOff.set(to, (dmOff.get(to) ?? 0) + 1);
        }
        return void send(ws, { type: 'renamed', room: ws.data.room, from, to, token: tokens.issue(to) });
      }
      if (f.type === 'typing') {
        const now = Date.now();
        if (now - (ws.data.typedAt ?? 0) < TYPING_EVERY_MS) return; // a chatty client: drop, no strike
        ws.data.typedAt = now;
        return void d.typing?.(ws.data.room, ws.data.username, ws.data.source);
      }
      if (f.type === 'moderate') {
        const label = config.moderation.tokens.get(f.token);
        if (!label) {
          refuse(ws, 'unauthorized', 'That is not a moderator token.');
          return strike(ws);
        }
        ws.data.moderator = label;
        return void send(ws, { type: 'moderating', label });
      }
      if (f.type === 'users') {
        const page = hub.users(ws.data.room, f.after, USERS_PAGE + 1);
        const more = page.length > USERS_PAGE;
        const users = more ? page.slice(0, USERS_PAGE) : page;
        return void send(ws, { type: 'users', room: ws.data.room, users, ...(more ? { next: users[users.length - 1] } : {}) });
      }
      const wait = Math.max(ws.data.bucket.take(), d.ipLimiter.take(ws.data.ip));
      if (wait > 0) {
        d.metrics.recordRateLimited('ws');
        refuse(ws, 'rate_limited', `Slow down: try again in ${Math.ceil(wait / 1000)} s.`, f.clientId, wait);
        // A paced client is refused now and then (several tabs share the address limit) and
        // waits; only one that keeps sending far beyond the limit while told to wait is closed.
        return strike(ws, 'ignored');
      }
      if (f.type === 'dm') {
        // Success needs no reply: the stored message comes back to both names' sockets through the log.
        const done = await d.privateMessages?.send({ from: ws.data.username, source: ws.data.source, to: f.to, text: f.text, clientId: f.clientId });
        if (done && !done.ok) refuse(ws, done.error.code, done.error.message, f.clientId);
        return;
      }
      if (f.type === 'react') {
        // Success needs no reply: the reaction comes back to the whole room through the log.
        const done = await d.reactions?.react({ room: ws.data.room, username: ws.data.username, source: ws.data.source, target: f.target, emoji: f.emoji, on: f.on, clientId: f.clientId });
        if (done && !done.ok) refuse(ws, done.error.code, done.error.message, f.clientId);
        return;
      }
      // Success needs no reply here: the stored message comes back through Kafka and the hub,
      // which also covers a duplicate clientId (this socket either has it or is about to).
      const sent = await chat.send({
        room: ws.data.room, username: ws.data.username, text: f.text, clientId: f.clientId, retry: f.retry, source: ws.data.source, viaSocket: true,
        moderator: ws.data.moderator !== undefined, ...(f.replyTo !== undefined ? { replyTo: f.replyTo } : {}),
      });
      if (!sent.ok) refuse(ws, sent.error.code, sent.error.message, f.clientId, sent.error.retryAfterMs ?? (sent.error.code === 'outcome_unknown' ? 1000 : undefined));
    },
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
