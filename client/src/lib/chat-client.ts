// The chat as the browser sees it, without any UI: one connection to the current room,
// a timeline per room, the outbox, and the anonymous identity (token kept in storage so a
// reload keeps the name). Components render `snapshot()` and call the actions.
import {
  decodeText, replyExcerpt, type ChatMessage, type Limits, type PrivateMessage, type ServerFrame,
} from '@anime-universe/protocol';
import { makeConnection, type ConnectionDeps, type ConnectionState } from './connection.ts';
import * as box from './outbox.ts';
import { makePacer } from './pacer.ts';
import { makeRoomActivity } from './room-activity.ts';
import { addBackfill, addMessage, addNotice, addPresence, emptyTimeline, mergeWelcome, reactToMessage, redactMessage, resumeOffset, type Timeline } from './timeline.ts';
import { makeScrollback } from './scrollback.ts';
import { makeOnlineNames } from './online-names.ts';
import { makeTypers } from './typing.ts';
import { makeRoomGrants, type PostJson } from './room-grants.ts';
import { makePrivateChat, type PrivateView } from './private-chat.ts';

export interface ChatSnapshot {
  me?: { username: string; token: string };
  room: string;
  rooms: string[];
  online: number;
  connection: ConnectionState;
  timeline: Timeline;
  outbox: box.OutboxItem[];
  limits?: Limits;
  /** Loading older messages of this room (scrolling back). */
  older: 'idle' | 'loading' | 'failed';
  /** Unread messages per other room (from GET /rooms, refreshed every 20 s). */
  unread: Record<string, number>;
  /** Of those, the ones that mention me. */
  mentions: Record<string, number>;
  /** Names online in this room on this server, sorted (for mention suggestions). */
  names: string[];
  /** Others typing in this room now. */
  typing: string[];
  /** This room needs a passcode this browser has no grant for. */
  needsPasscode: boolean;
  /** The room needs a passcode (and this browser is in). */
  locked: boolean;
  /** Private threads, the open one, and whether this browser takes private messages. */
  private: PrivateView;
  /** The offset read last time this room was open: a "new messages" divider goes after it. */
  readBefore?: number;
  /** Slow mode in this room, in seconds (0: off). */
  slowMode: number;
  /** The server accepted this socket as a moderator's (exempt from slow mode). */
  moderating: boolean;
}

export interface ChatClientDeps extends Pick<ConnectionDeps, 'createSocket' | 'now' | 'random' | 'setTimer' | 'clearTimer' | 'heartbeatMs' | 'deadAfterMs'> {
  /** ws:// or wss:// origin of the server. */
  wsOrigin: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  newId(): string;
  onChange(): void;
  /** Called for each stored message from someone else (for screen-reader announcements). */
  onIncoming?(message: ChatMessage): void;
  /** A private message from someone else, not in the open thread. */
  onPrivate?(message: PrivateMessage): void;
  confirmTimeoutMs?: number;
  /** GETs a JSON document (older messages, search); defaults to fetch. */
  getJson?(url: string): Promise<unknown>;
  /** GETs a JSON document with a Bearer token (private threads); defaults to fetch. */
  getJsonWithToken?(url: string, token: string): Promise<unknown>;
  /** POSTs a JSON body and answers the status and JSON body; defaults to fetch. */
  postJson?: PostJson;
  /** The server refused a reaction or a new name of this browser (with its message, for the user). */
  onRefused?(message: string): void;
  /** Names this browser ignores (their private messages are dropped too). */
  isIgnored?(name: string): boolean;
  /** The moderator secret signed in on this browser, sent on every connection. */
  moderatorToken?(): string | undefined;
}

export interface ChatClient {
  start(): void;
  stop(): void;
  /** Queues a message (a reply to `replyTo`, a message of this room); returns an error code when the text cannot be sent at all. */
  send(text: string, replyTo?: ChatMessage): string | undefined;
  retry(clientId: string): void;
  discard(clientId: string): void;
  switchRoom(room: string): void;
  reconnectNow(): void;
  /** The browser reports no network: stop using the socket until it comes back. */
  networkLost(): void;
  /** Loads the page of messages before the oldest one shown (no-op while loading or at the start). */
  loadOlder(): void;
  /** The current room's messages matching every word of `query`, best first. */
  search(query: string): Promise<ChatMessage[]>;
  /** Loads older messages until the one at `offset` is shown; false when it cannot be. */
  reveal(offset: number): Promise<boolean>;
  /** Shows the private thread with a name instead of the room (closeThread goes back). */
  openThread(peer: string): void;
  closeThread(): void;
  /** Sends a private message in the open thread; an error code when it cannot go at all. */
  sendPrivate(text: string): string | undefined;
  /** Turns taking private messages on or off for this browser (reconnects). */
  setPrivateOff(off: boolean): void;
  /** Enters the current passcode room; the reason when refused. */
  enterPasscode(passcode: string): Promise<string | undefined>;
  /** Makes a new room that needs a passcode and goes there; the reason when refused. */
  createRoom(room: string, passcode: string): Promise<string | undefined>;
  /** Asks for a new anonymous name (the room sees "X is now Y"); false when not connected. */
  rename(): boolean;
  /** The user is typing: tells the room (at most every few seconds). */
  typing(): void;
  /** Asks the server for the names online in this room (once per connection), for mention suggestions. */
  loadNames(): void;
  /** Adds (`on`) or takes back a reaction to a message of this room; false when not connected. */
  react(offset: number, emoji: string, on: boolean): boolean;
  /** Shows a message of this room as removed at once (the server's redaction frame follows). */
  markRemoved(offset: number): void;
  /** Tells the server (again) that this socket is a moderator's, after signing in or out. */
  moderate(): void;
  snapshot(): ChatSnapshot;
}

const TOKEN_KEY = 'anime-universe.token';
const GIVE_UP_MS = 60_000;
/**
 * A sent message shows "sending…" this long before it is marked failed: longer than the
 * server's send deadline (15 s, KAFKA_SEND_TIMEOUT_MS), which spans a Kafka leader election.
 */
export const CONFIRM_TIMEOUT_MS = 25_000;
const ROOM_KEY = 'anime-universe.room';
const ROOMS_REFRESH_MS = 20_000;

export function makeChatClient(d: ChatClientDeps): ChatClient {
  const now = d.now ?? Date.now;
  const timelines = new Map<string, Timeline>();
  let outbox: box.OutboxItem[] = [];
  let token = d.storage.getItem(TOKEN_KEY) ?? undefined;
  let me: ChatSnapshot['me'];
  let room = d.storage.getItem(ROOM_KEY) ?? 'lobby';
  let rooms: string[] = [];
  let online = 0;
  let slowMode = 0;
  let moderating = false;
  const sendModerate = () => {
    const t = d.moderatorToken?.();
    if (t) conn.send({ type: 'moderate', token: t });
  };
  let limits: Limits | undefined;
  let connection: ConnectionState = { status: 'stopped', reason: 'not started' };
  let expiryTimer: unknown;
  let flushTimer: unknown;
  const pacer = makePacer(now);
  const scheduleRooms = () => {
    roomsTimer = setTimer(() => {
      scheduleRooms();
      void refreshRooms();
    }, ROOMS_REFRESH_MS);
  };
  const httpOrigin = d.wsOrigin.replace(/^ws/, 'http');
  const getJson = d.getJson ?? (async (url: string) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  });
  const postJson: PostJson = d.postJson ?? (async (url, body) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => ({})) };
  });
  const grants = makeRoomGrants(d.storage, postJson, httpOrigin);
  const privateChat = makePrivateChat({
    storage: d.storage, httpOrigin, isIgnored: d.isIgnored, changed: () => changed(),
    getJson: d.getJsonWithToken ?? (async (url, bearer) => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    }),
  });
  let needsPasscode = false;
  let locked = false;
  const activity = makeRoomActivity(d.storage, getJson, httpOrigin);
  let readBefore = activity.lastRead(room);
  let roomsTimer: unknown;
  const markRead = () => activity.markRead(room, timelines.get(room)?.lastOffset ?? -1);
  const refreshRooms = async () => {
    if (await activity.refresh(room, me?.username)) changed();
  };
  const setTimer = d.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = d.clearTimer ?? ((id: unknown) => clearTimeout(id as number));

  const timeline = (r: string) => timelines.get(r) ?? emptyTimeline();
  const onlineNames = makeOnlineNames();
  const typers = makeTypers(now);
  const reacting = new Set<string>();
  let renaming = false; // a new name was asked for and not answered yet // clientIds of reactions sent, until answered or refused
  const changed = () => d.onChange();

  const scrollback = makeScrollback({
    httpOrigin, getJson: (url) => getJson(grants.withGrant(url)), room: () => room, timeline, setTimeline: (r, t) => void timelines.set(r, t), changed,
  });

  const flush = () => {
    if (flushTimer !== undefined) clearTimer(flushTimer);
    flushTimer = undefined;
    for (const item of box.due(outbox, room, now())) {
      if (conn.state().status !== 'connected' || !pacer.take()) break;
      // An earlier attempt may have been stored: the server checks the log before storing it again.
      const retry = item.maybeStored ? { retry: true } : {};
      const reply = item.replyTo ? { replyTo: item.replyTo.offset } : {};
      if (!conn.send({ type: 'chat', text: item.text, clientId: item.clientId, ...retry, ...reply })) return;
      outbox = box.markSent(outbox, item.clientId, now());
    }
    if (conn.state().status !== 'connected' || !outbox.some((i) => i.room === room && i.state === 'queued')) return;
    const at = Math.max(pacer.nextAt(), box.nextDue(outbox, room) ?? 0);
    flushTimer = setTimer(() => {
      flushTimer = undefined;
      flush();
      changed();
    }, Math.max(10, Math.ceil(at - now())));
  };

  // Refusals that mean "later" put the message back in the queue; it fails only after a minute.
  const refused = (frame: Extract<ServerFrame, { type: 'error' }>) => {
    const item = outbox.find((i) => i.clientId === frame.clientId);
    if (!item) return;
    const patient = now() - Date.parse(item.createdAt) < GIVE_UP_MS;
    if (!box.WAIT_CODES.has(frame.code) || !patient) {
      outbox = box.fail(outbox, frame);
      return;
    }
    if (frame.code === 'rate_limited') pacer.drain();
    outbox = box.defer(outbox, item.clientId, now() + (frame.retryAfterMs ?? 1000), frame.code === 'outcome_unknown');
    flush();
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
        limits = frame.limits;
        slowMode = frame.slowModeSeconds ?? 0;
        needsPasscode = false;
        locked = frame.locked === true;
        moderating = false;
        sendModerate();
        pacer.reset(frame.limits);
        onlineNames.reset();
        timelines.set(room, mergeWelcome(timeline(room), frame, new Date(now()).toISOString()));
        for (const m of frame.history) if (m.username === me.username) outbox = box.confirm(outbox, m.clientId);
        markRead();
        void refreshRooms();
        void privateChat.refresh(frame.token);
        flush();
        break;
      }
      case 'history': {
        // Missed messages that did not fit the welcome.
        if (frame.room !== room) return;
        timelines.set(room, addBackfill(timeline(room), frame.messages, frame.remaining));
        for (const m of frame.messages) if (m.username === me?.username) outbox = box.confirm(outbox, m.clientId);
        break;
      }
      case 'room-settings': {
        if (frame.room !== room) return;
        slowMode = frame.slowModeSeconds;
        break;
      }
      case 'moderating': {
        moderating = true;
        break;
      }
      case 'dm': {
        privateChat.received(frame.message, me?.username);
        if (frame.message.from !== me?.username && privateChat.view().open?.peer !== frame.message.from) d.onPrivate?.(frame.message);
        break;
      }
      case 'renamed': {
        if (frame.room !== room) return;
        const at = new Date(now()).toISOString();
        if (frame.token) {
          renaming = false;
          // Mine: the new name and the token that proves it, kept for reloads.
          me = { username: frame.to, token: frame.token };
          token = frame.token;
          d.storage.setItem(TOKEN_KEY, frame.token);
          timelines.set(room, addNotice(timeline(room), `You are now ${frame.to}`, at));
        } else if (frame.from !== me?.username && frame.to !== me?.username) {
          typers.done(frame.from);
          timelines.set(room, addNotice(timeline(room), `${frame.from} is now ${frame.to}`, at));
        }
        break;
      }
      case 'typing': {
        if (frame.room !== room || frame.name === me?.username) return;
        const end = typers.typing(frame.name);
        setTimer(() => changed(), end - now() + 10); // the line goes when it ends
        break;
      }
      case 'reaction': {
        if (frame.room !== room) return;
        timelines.set(room, reactToMessage(timeline(room), frame));
        break;
      }
      case 'redaction': {
        if (frame.room !== room) return;
        timelines.set(room, redactMessage(timeline(room), frame.target));
        break;
      }
      case 'chat': {
        if (frame.room !== room) return;
        const { type: _type, ...message } = frame;
        const before = timeline(room);
        timelines.set(room, addMessage(before, message));
        typers.done(message.username);
        if (message.username === me?.username) outbox = box.confirm(outbox, message.clientId);
        else if (!before.ids.has(message.id)) d.onIncoming?.(message);
        markRead();
        break;
      }
      case 'presence': {
        if (frame.room !== room) return;
        online = frame.online;
        onlineNames.presence(frame);
        timelines.set(room, addPresence(timeline(room), frame, me?.username));
        break;
      }
      case 'error': {
        if (frame.clientId && reacting.delete(frame.clientId)) d.onRefused?.(frame.message);
        else if (frame.clientId && privateChat.refused(frame.clientId, frame.message)) break;
        else if (frame.code === 'passcode_required') {
          // The socket closes (4403) and is not retried until the passcode is entered.
          needsPasscode = true;
          grants.forget(room); // a grant that no longer works (expired, or another secret)
          void refreshRooms(); // the room list, which a refused socket's welcome would have brought
        } else if (!frame.clientId && renaming) {
          renaming = false;
          d.onRefused?.(frame.message);
        }
        else if (frame.clientId) refused(frame);
        break;
      }
      case 'users': {
        if (frame.room !== room) return;
        // Pages of the room's names, asked for after the welcome (a few pages at most).
        if (onlineNames.page(frame.users) && frame.next) conn.send({ type: 'users', after: frame.next });
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
      const t = timeline(room);
      const since = resumeOffset(t);
      if (since >= 0) q.set('since', String(since));
      if (since >= 0 && t.epoch) q.set('epoch', t.epoch);
      const grant = grants.of(room);
      if (grant) q.set('grant', grant);
      if (privateChat.off()) q.set('dms', 'off');
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
    expiryTimer = setTimer(checkExpiry, 2000);
    const next = box.expire(outbox, now(), d.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS);
    if (next.some((item, i) => item !== outbox[i])) {
      outbox = next;
      changed();
    }
  };

  return {
    start() {
      conn.start();
      checkExpiry();
      scheduleRooms();
    },
    stop() {
      conn.stop('closed by the page');
      if (expiryTimer !== undefined) clearTimer(expiryTimer);
      if (roomsTimer !== undefined) clearTimer(roomsTimer);
      if (flushTimer !== undefined) clearTimer(flushTimer);
    },
    send(raw, replyTo) {
      const text = decodeText(raw);
      if (!text.ok) return text.error.code;
      const quote = replyTo ? { offset: replyTo.offset, username: replyTo.username, excerpt: replyExcerpt(replyTo.text) } : undefined;
      outbox = box.enqueue(outbox, room, text.value, d.newId(), new Date(now()), quote);
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
      needsPasscode = false;
      locked = false;
      typers.done();
      scrollback.reset();
      readBefore = activity.lastRead(next);
      activity.opened(next);
      d.storage.setItem(ROOM_KEY, next);
      online = 0;
      conn.reconnectNow();
      changed();
    },
    reconnectNow() {
      if (connection.status !== 'connected') conn.reconnectNow();
    },
    networkLost() {
      conn.drop('the browser is offline');
    },
    loadOlder: scrollback.loadOlder,
    search: scrollback.search,
    reveal: scrollback.reveal,
    moderate() {
      moderating = false;
      if (d.moderatorToken?.()) sendModerate();
      else conn.reconnectNow(); // signed out: a fresh socket is an ordinary one
      changed();
    },
    openThread(peer) {
      void privateChat.openThread(peer, me?.token);
    },
    closeThread: () => privateChat.closeThread(),
    sendPrivate(raw) {
      const text = decodeText(raw);
      if (!text.ok) return text.error.code;
      const peer = privateChat.view().open?.peer;
      if (!peer) return 'invalid_request';
      const clientId = d.newId();
      if (!conn.send({ type: 'dm', to: peer, text: text.value, clientId })) return 'not_connected';
      privateChat.sending(clientId, text.value);
      changed();
      return undefined;
    },
    setPrivateOff(off) {
      privateChat.setOff(off);
      conn.reconnectNow();
      changed();
    },
    async enterPasscode(passcode) {
      const problem = await grants.join(room, passcode);
      if (problem) return problem;
      needsPasscode = false;
      conn.reconnectNow();
      changed();
      return undefined;
    },
    async createRoom(next, passcode) {
      const problem = await grants.create(next, passcode);
      if (problem) return problem;
      this.switchRoom(next);
      return undefined;
    },
    rename() {
      renaming = conn.send({ type: 'rename' });
      return renaming;
    },
    typing() {
      if (conn.state().status === 'connected' && typers.shouldSend()) conn.send({ type: 'typing' });
    },
    loadNames() {
      if (onlineNames.asked()) return;
      if (conn.send({ type: 'users' })) onlineNames.ask();
    },
    react(offset, emoji, on) {
      const clientId = d.newId();
      if (!conn.send({ type: 'react', target: offset, emoji, on, clientId })) return false;
      reacting.add(clientId);
      if (reacting.size > 100) reacting.delete(reacting.values().next().value as string);
      return true;
    },
    markRemoved(offset) {
      timelines.set(room, redactMessage(timeline(room), offset));
      changed();
    },
    snapshot: () => ({
      me, room, connection, limits, older: scrollback.state(), online, unread: activity.unread(), mentions: activity.mentions(), names: onlineNames.list(), typing: typers.names(), readBefore, rooms: activity.allRooms(rooms, grants.rooms()), slowMode, moderating, needsPasscode, locked, private: privateChat.view(),
      timeline: timeline(room),
      outbox: outbox.filter((i) => i.room === room),
    }),
  };
}
