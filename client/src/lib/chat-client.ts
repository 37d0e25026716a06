// The chat as the browser sees it, without any UI: one connection to the current room,
// a timeline per room, the outbox, and the anonymous identity (token kept in storage so a
// reload keeps the name). Components render `snapshot()` and call the actions.
import {
  decodeText, type ChatMessage, type Limits, type ServerFrame,
} from '@anime-universe/protocol';
import { makeConnection, type ConnectionDeps, type ConnectionState } from './connection.ts';
import * as box from './outbox.ts';
import { addHistory, addMessage, addPresence, emptyTimeline, type Timeline } from './timeline.ts';

export interface ChatSnapshot {
  me?: { username: string; token: string };
  room: string;
  rooms: string[];
  online: number;
  users: string[];
  connection: ConnectionState;
  timeline: Timeline;
  outbox: box.OutboxItem[];
  limits?: Limits;
}

export interface ChatClientDeps extends Pick<ConnectionDeps, 'createSocket' | 'now' | 'random' | 'setTimer' | 'clearTimer' | 'heartbeatMs' | 'deadAfterMs'> {
  /** ws:// or wss:// origin of the server. */
  wsOrigin: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  newId(): string;
  onChange(): void;
  /** Called for each stored message from someone else (for screen-reader announcements). */
  onIncoming?(message: ChatMessage): void;
  confirmTimeoutMs?: number;
}

export interface ChatClient {
  start(): void;
  stop(): void;
  /** Queues a message; returns an error code when the text cannot be sent at all. */
  send(text: string): string | undefined;
  retry(clientId: string): void;
  discard(clientId: string): void;
  switchRoom(room: string): void;
  reconnectNow(): void;
  /** The browser reports no network: stop using the socket until it comes back. */
  networkLost(): void;
  snapshot(): ChatSnapshot;
}

const TOKEN_KEY = 'anime-universe.token';
const ROOM_KEY = 'anime-universe.room';

export function makeChatClient(d: ChatClientDeps): ChatClient {
  const now = d.now ?? Date.now;
  const timelines = new Map<string, Timeline>();
  let outbox: box.OutboxItem[] = [];
  let token = d.storage.getItem(TOKEN_KEY) ?? undefined;
  let me: ChatSnapshot['me'];
  let room = d.storage.getItem(ROOM_KEY) ?? 'lobby';
  let rooms: string[] = [];
  let online = 0;
  let users: string[] = [];
  let limits: Limits | undefined;
  let connection: ConnectionState = { status: 'stopped', reason: 'not started' };
  let expiryTimer: unknown;

  const timeline = (r: string) => timelines.get(r) ?? emptyTimeline();
  const changed = () => d.onChange();

  const flush = () => {
    for (const item of box.due(outbox, room)) {
      if (!conn.send({ type: 'chat', text: item.text, clientId: item.clientId })) break;
      outbox = box.markSent(outbox, item.clientId, now());
    }
  };

  const onFrame = (frame: ServerFrame) => {
    switch (frame.type) {
      case 'welcome': {
        me = { username: frame.username, token: frame.token };
        token = frame.token;
        d.storage.setItem(TOKEN_KEY, frame.token);
        room = frame.room;
        const offered = frame.rooms.includes(room) ? frame.rooms : [...frame.rooms, room];
        if (offered.join() !== rooms.join()) rooms = offered; // keep the array when nothing changed
        online = frame.online;
        users = frame.users;
        limits = frame.limits;
        const before = timeline(room);
        timelines.set(room, addHistory(before, frame.history, frame.recovered, before.lastOffset >= 0, new Date(now()).toISOString()));
        for (const m of frame.history) if (m.username === me.username) outbox = box.confirm(outbox, m.clientId);
        flush();
        break;
      }
      case 'chat': {
        if (frame.room !== room) return;
        const { type: _type, ...message } = frame;
        const before = timeline(room);
        timelines.set(room, addMessage(before, message));
        if (message.username === me?.username) outbox = box.confirm(outbox, message.clientId);
        else if (!before.ids.has(message.id)) d.onIncoming?.(message);
        break;
      }
      case 'presence': {
        if (frame.room !== room) return;
        online = frame.online;
        users = frame.event === 'join' ? [...new Set([...users, frame.username])] : users.filter((u) => u !== frame.username);
        timelines.set(room, addPresence(timeline(room), frame, me?.username));
        break;
      }
      case 'error': {
        if (frame.clientId) outbox = box.fail(outbox, frame);
        break;
      }
      case 'pong':
        return;
    }
    changed();
  };

  const conn = makeConnection({
    ...d,
    url() {
      const q = new URLSearchParams({ room });
      if (token) q.set('token', token);
      const last = timeline(room).lastOffset;
      if (last >= 0) q.set('since', String(last));
      return `${d.wsOrigin}/ws/chat?${q}`;
    },
    onFrame,
    onState(state) {
      connection = state;
      if (state.status !== 'connected') outbox = box.requeueUnconfirmed(outbox);
      changed();
    },
  });

  const checkExpiry = () => {
    expiryTimer = (d.setTimer ?? setTimeout)(checkExpiry, 2000);
    const next = box.expire(outbox, now(), d.confirmTimeoutMs ?? 15_000);
    if (next.some((item, i) => item !== outbox[i])) {
      outbox = next;
      changed();
    }
  };

  return {
    start() {
      conn.start();
      checkExpiry();
    },
    stop() {
      conn.stop('closed by the page');
      if (expiryTimer !== undefined) (d.clearTimer ?? ((id) => clearTimeout(id as number)))(expiryTimer);
    },
    send(raw) {
      const text = decodeText(raw);
      if (!text.ok) return text.error.code;
      outbox = box.enqueue(outbox, room, text.value, d.newId(), new Date(now()));
      flush();
      changed();
      return undefined;
    },
    retry(clientId) {
      outbox = box.retry(outbox, clientId);
      flush();
      changed();
    },
    discard(clientId) {
      outbox = box.discard(outbox, clientId);
      changed();
    },
    switchRoom(next) {
      if (next === room) return;
      room = next;
      d.storage.setItem(ROOM_KEY, next);
      online = 0;
      users = [];
      conn.reconnectNow();
      changed();
    },
    reconnectNow() {
      if (connection.status !== 'connected') conn.reconnectNow();
    },
    networkLost() {
      conn.drop('the browser is offline');
    },
    snapshot: () => ({
      me, room, rooms, online, users, connection, limits,
      timeline: timeline(room),
      outbox: outbox.filter((i) => i.room === room),
    }),
  };
}
