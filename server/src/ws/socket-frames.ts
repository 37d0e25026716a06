// What a chat socket may send once it is open, and what each frame does: chat messages (and
// replies), reactions, private messages, typing signals, a new name, the online list and
// moderator sign-in. Rate limits and strikes are the socket's (chat-socket.ts keeps them).
import { decodeClientFrame, type ErrorCode, type ServerFrame } from '@anime-universe/protocol';
import { userTopic } from '../chat/private-messages.ts';
import type { ChatSocketDeps, ChatWebSocket } from './chat-socket.ts';

export interface SocketIo {
  send(ws: ChatWebSocket, frame: ServerFrame): void;
  refuse(ws: ChatWebSocket, code: ErrorCode, message: string, clientId?: string, retryAfterMs?: number): void;
  /** Counts a strike (invalid frame) or an ignored wait; closes a socket past its limit. */
  strike(ws: ChatWebSocket, bucket?: 'strikes' | 'ignored'): void;
  /** A socket of this name that takes no private messages came or went (renames move it). */
  dmOffAdd(name: string): void;
  dmOffForget(name: string): void;
}

const USERS_PAGE = 200;
/** The least time between two name changes of one socket. */
const RENAME_EVERY_MS = 30_000;
/** The least time between two typing signals of one socket that are passed on. */
const TYPING_EVERY_MS = 2000;

export function makeFrameHandler(d: ChatSocketDeps, io: SocketIo) {
  const { config, hub, chat, tokens } = d;
  return async (ws: ChatWebSocket, raw: string | Buffer): Promise<void> => {
    const frame = decodeClientFrame(raw);
    if (!frame.ok) {
      io.refuse(ws, frame.error.code, frame.error.message, frame.error.clientId);
      return io.strike(ws);
    }
    const f = frame.value;
    if (f.type === 'ping') return void io.send(ws, { type: 'pong', t: f.t });
    if (f.type === 'rename') {
      const now = Date.now();
      if (!d.rename) return void io.refuse(ws, 'invalid_request', 'This server does not change names.');
      if (d.mayPost && !d.mayPost(ws.data.username, ws.data.source)) return void io.refuse(ws, 'timed_out', 'You are timed out; you cannot change your name now.');
      const wait = RENAME_EVERY_MS - (now - (ws.data.renamedAt ?? 0));
      if (wait > 0) return void io.refuse(ws, 'rate_limited', `You can take another name in ${Math.ceil(wait / 1000)} s.`, undefined, wait);
      ws.data.renamedAt = now;
      const from = ws.data.username;
      const to = d.rename({ username: from, room: ws.data.room });
      ws.data.username = to;
      ws.unsubscribe(userTopic(from));
      ws.subscribe(userTopic(to));
      if (ws.data.dmsOff) {
        io.dmOffForget(from);
        io.dmOffAdd(to);
      }
      return void io.send(ws, { type: 'renamed', room: ws.data.room, from, to, token: tokens.issue(to) });
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
        io.refuse(ws, 'unauthorized', 'That is not a moderator token.');
        return io.strike(ws);
      }
      ws.data.moderator = label;
      return void io.send(ws, { type: 'moderating', label });
    }
    if (f.type === 'users') {
      const page = hub.users(ws.data.room, f.after, USERS_PAGE + 1);
      const more = page.length > USERS_PAGE;
      const users = more ? page.slice(0, USERS_PAGE) : page;
      return void io.send(ws, { type: 'users', room: ws.data.room, users, ...(more ? { next: users[users.length - 1] } : {}) });
    }
    const wait = Math.max(ws.data.bucket.take(), d.ipLimiter.take(ws.data.ip));
    if (wait > 0) {
      d.metrics.recordRateLimited('ws');
      io.refuse(ws, 'rate_limited', `Slow down: try again in ${Math.ceil(wait / 1000)} s.`, f.clientId, wait);
      // A paced client is refused now and then (several tabs share the address limit) and
      // waits; only one that keeps sending far beyond the limit while told to wait is closed.
      return io.strike(ws, 'ignored');
    }
    if (f.type === 'dm') {
      // Success needs no reply: the stored message comes back to both names' sockets through the log.
      const done = await d.privateMessages?.send({ from: ws.data.username, source: ws.data.source, to: f.to, text: f.text, clientId: f.clientId, retry: f.retry });
      if (done && !done.ok) io.refuse(ws, done.error.code, done.error.message, f.clientId, done.error.code === 'outcome_unknown' ? 1000 : undefined);
      return;
    }
    if (f.type === 'react') {
      // Success needs no reply: the reaction comes back to the whole room through the log.
      const done = await d.reactions?.react({ room: ws.data.room, username: ws.data.username, source: ws.data.source, target: f.target, emoji: f.emoji, on: f.on, clientId: f.clientId });
      if (done && !done.ok) io.refuse(ws, done.error.code, done.error.message, f.clientId);
      return;
    }
    // Success needs no reply here: the stored message comes back through Kafka and the hub,
    // which also covers a duplicate clientId (this socket either has it or is about to).
    const sent = await chat.send({
      room: ws.data.room, username: ws.data.username, text: f.text, clientId: f.clientId, retry: f.retry, source: ws.data.source, viaSocket: true,
      moderator: ws.data.moderator !== undefined, ...(f.replyTo !== undefined ? { replyTo: f.replyTo } : {}),
    });
    if (!sent.ok) io.refuse(ws, sent.error.code, sent.error.message, f.clientId, sent.error.retryAfterMs ?? (sent.error.code === 'outcome_unknown' ? 1000 : undefined));
  };
}
