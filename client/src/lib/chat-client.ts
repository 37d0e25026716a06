// The chat as the browser sees it, without any UI: one connection to the current room,
// a timeline per room, the outbox, and the anonymous identity (token kept in storage so a
// reload keeps the name). Components render `snapshot()` and call the actions.
import { decodeText, replyExcerpt, type Limits, type ServerFrame } from '@anime-universe/protocol';
import type { ChatClient, ChatClientDeps, ChatSnapshot } from './chat-types.ts';
import { makeConnection, type ConnectionState } from './connection.ts';
import { makeOutboxFlow } from './outbox-flow.ts';
import { makeRoomActivity } from './room-activity.ts';
import { addBackfill, addMessage, addNotice, addPresence, emptyTimeline, mergeWelcome, reactToMessage, redactMessage, resumeOffset, type Timeline } from './timeline.ts';
import { makeScrollback } from './scrollback.ts';
import { makeOnlineNames } from './online-names.ts';
import { makeTypers } from './typing.ts';
import { makeRoomGrants, type PostJson } from './room-grants.ts';
import { makePrivateChat } from './private-chat.ts';

export type { ChatClient, ChatClientDeps, ChatSnapshot } from './chat-types.ts';


const TOKEN_KEY = 'anime-universe.token';
export { CONFIRM_TIMEOUT_MS } from './outbox-flow.ts';
const ROOM_KEY = 'anime-universe.room';
const ROOMS_REFRESH_MS = 20_000;

export function makeChatClient(d: ChatClientDeps): ChatClient {
  const now = d.now ?? Date.now;
  const timelines = new Map<string, Timeline>();
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
  const reacting = new Set<string>(); // clientIds of reactions sent, until answered or refused
  let renaming = false; // a new name was asked for and not answered yet
  const changed = () => d.onChange();

  const scrollback = makeScrollback({
    httpOrigin, getJson: (url) => getJson(grants.withGrant(url)), room: () => room, timeline, setTimeline: (r, t) => void timelines.set(r, t), changed,
  });

  // Private messages on their way go again after a reconnect or an unknown outcome, marked as
  // retries: the server stores each clientId at most once.
  const resendPrivate = (clientId?: string) => {
    for (const p of privateChat.unconfirmed(clientId)) conn.send({ type: 'dm', to: p.to, text: p.text, clientId: p.clientId, retry: true });
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
        onlineNames.reset();
        timelines.set(room, mergeWelcome(timeline(room), frame, new Date(now()).toISOString()));
        const mine = frame.history.filter((m) => m.username === frame.username);
        markRead();
        void refreshRooms();
        void privateChat.refresh(frame.token);
        resendPrivate();
        outbox.welcomed(frame.limits, mine);
        break;
      }
      case 'history': {
        // Missed messages that did not fit the welcome.
        if (frame.room !== room) return;
        timelines.set(room, addBackfill(timeline(room), frame.messages, frame.remaining));
        for (const m of frame.messages) if (m.username === me?.username) outbox.confirm(m.clientId);
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
        if (message.username === me?.username) outbox.confirm(message.clientId);
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
        else if (frame.clientId && privateChat.refused(frame.clientId, frame.message, frame.code)) {
          const clientId = frame.clientId;
          if (frame.code === 'outcome_unknown') setTimer(() => resendPrivate(clientId), frame.retryAfterMs ?? 1000);
          break;
        }
        else if (frame.code === 'passcode_required') {
          // The socket closes (4403) and is not retried until the passcode is entered.
          needsPasscode = true;
          grants.forget(room); // a grant that no longer works (expired, or another secret)
          void refreshRooms(); // the room list, which a refused socket's welcome would have brought
        } else if (!frame.clientId && renaming) {
          renaming = false;
          d.onRefused?.(frame.message);
        }
        else if (frame.clientId) outbox.refused(frame);
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

  const outbox = makeOutboxFlow({ conn: { send: (f) => conn.send(f), state: () => conn.state() }, room: () => room, now, setTimer, clearTimer, changed, confirmTimeoutMs: d.confirmTimeoutMs });
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
      if (state.status !== 'connected') outbox.disconnected();
      changed();
    },
  });

  return {
    start() {
      conn.start();
      outbox.start();
      scheduleRooms();
    },
    stop() {
      conn.stop('closed by the page');
      outbox.stop();
      if (roomsTimer !== undefined) clearTimer(roomsTimer);
    },
    send(raw, replyTo) {
      const text = decodeText(raw);
      if (!text.ok) return text.error.code;
      const quote = replyTo ? { offset: replyTo.offset, username: replyTo.username, excerpt: replyExcerpt(replyTo.text) } : undefined;
      outbox.enqueue(room, text.value, d.newId(), quote);
      changed();
      return undefined;
    },
    retry(clientId) {
      outbox.retry(clientId);
      changed();
    },
    discard(clientId) {
      outbox.discard(clientId);
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
      outbox: outbox.of(room),
    }),
  };
}
