// The rooms of this instance: who is online where (name counts per room, no scans), presence
// across the cluster (names here plus those the other instances report in the room) coalesced
// into at most one frame per room per interval, and fan-out of stored messages: each frame is
// encoded once and published to the room's topic, which the runtime writes to every subscribed
// socket natively.
import { encodeFrame, type ChatMessage } from '@anime-universe/protocol';
import type { LogEvent } from '../kafka/message-log.ts';
import type { RoomHistory } from './room-history.ts';

/** Publishes one encoded frame to every socket subscribed to `topic` (Bun's server.publish). */
export interface Fanout {
  publish(topic: string, data: string): void;
  /** Sends at once whatever the fan-out holds back for the topic, if it holds any back. */
  flush?(topic: string): void;
}

export const roomTopic = (room: string) => `room:${room}`;

export interface Member {
  readonly username: string;
  readonly room: string;
}

export interface HubSettings {
  history: RoomHistory;
  fanout: Fanout;
  /** Where this instance began reading a partition (history below it is unknown). */
  partitionStart(partition: number): number;
  /** Presence goes out at most once per interval per room. */
  presenceIntervalMs?: number;
  /** A name that leaves and comes back within this time is not announced at all. */
  rejoinGraceMs?: number;
  /** Names the other instances have online in a room (none when alone). */
  remote?(room: string): ReadonlySet<string>;
  now?: () => number;
}

export interface Hub {
  join(member: Member): void;
  leave(member: Member): void;
  /** One socket of `member` now goes by `to`: no join or leave is announced for it (mutate the member's name after). */
  rename(member: Member, to: string): void;
  /** A name in the room changed, here or on another instance: presence treats it as the same person. */
  renamed(room: string, from: string, to: string): void;
  /** Consumed messages of a partition in offset order (read up to `through`), then the events
   * among the same records (removals, reactions, settings). */
  deliver(partition: number, messages: ChatMessage[], through?: number, events?: readonly LogEvent[]): void;
  /**
   * A message this instance published, as soon as Kafka acknowledged it at its offset. Sent at
   * once when it directly follows what this instance has delivered on the partition, so order
   * holds; otherwise it is left to the log reader, which delivers it in its turn.
   */
  deliverAcknowledged(partition: number, message: ChatMessage): void;
  /**
   * Sends what the fan-out holds back for the room, so a snapshot of the room's history taken
   * now and a subscription made in the same tick neither miss nor repeat a frame.
   */
  settle(room: string): void;
  /** Names online in the room across the cluster (including ones in their rejoin grace). */
  online(room: string): number;
  /** Names in the room in sorted order after `after`, at most `limit`. */
  users(room: string, after: string | undefined, limit: number): string[];
  isOnline(username: string): boolean;
  /** Every name with a connection on this instance. */
  names(): string[];
  /** Each name with a connection here, with the rooms it is in (one pass over the rooms). */
  nameRooms(): Map<string, string[]>;
  connectionCount(): number;
  roomCounts(): Record<string, number>;
  /** Sends the pending presence changes now (the timer calls it; tests may too). */
  flushPresence(): void;
  stop(): void;
}

interface Room {
  names: Map<string, number>; // name -> open sockets here
  sockets: number;
  leaving: Map<string, number>; // name -> when its last socket here closed (still shown during the grace)
  announced: Set<string>; // the names the room's sockets were last told are online
}

const NONE: ReadonlySet<string> = new Set();

export function makeHub(s: HubSettings): Hub {
  const now = s.now ?? Date.now;
  const graceMs = s.rejoinGraceMs ?? 5000;
  const rooms = new Map<string, Room>();
  const nameCounts = new Map<string, number>();
  const delivered = new Map<number, number>(); // partition -> last offset handled (sent or skipped)
  const remote = (name: string) => s.remote?.(name) ?? NONE;

  const room = (name: string): Room => {
    let r = rooms.get(name);
    // Who is online elsewhere is known to the room already (the welcome counts them).
    if (!r) rooms.set(name, (r = { names: new Map(), sockets: 0, leaving: new Map(), announced: new Set(remote(name)) }));
    return r;
  };
  /** Everyone online in the room now: here (with those in their grace) and elsewhere. */
  const current = (name: string, r: Room | undefined): Set<string> => {
    const all = new Set(remote(name));
    if (r) for (const map of [r.names, r.leaving]) for (const user of map.keys()) all.add(user);
    return all;
  };

  // A renamed person stays announced under the new name (unless other tabs keep the old one).
  const renamed = (room: string, from: string, to: string) => {
    const r = rooms.get(room);
    if (!r || !r.announced.has(from) || r.names.has(from)) return;
    r.announced.delete(from);
    r.announced.add(to);
  };

  // Once per interval and room: who came and went since the room's sockets were last told.
  const flushPresence = () => {
    const t = now();
    for (const [name, r] of rooms) {
      for (const [user, at] of r.leaving) if (t - at >= graceMs) r.leaving.delete(user);
      const online = current(name, r);
      const joined = [...online].filter((u) => !r.announced.has(u));
      const left = [...r.announced].filter((u) => !online.has(u));
      if (joined.length > 0 || left.length > 0) {
        r.announced = online;
        s.fanout.publish(roomTopic(name), encodeFrame({ type: 'presence', room: name, joined, left, online: online.size, timestamp: new Date(t).toISOString() }));
      }
      if (r.sockets === 0 && r.leaving.size === 0) rooms.delete(name);
    }
  };
  const timer = setInterval(flushPresence, s.presenceIntervalMs ?? 1000);
  const handled = (partition: number) => delivered.get(partition) ?? s.partitionStart(partition) - 1;
  const send = (partition: number, message: ChatMessage) => {
    s.history.add(message, s.partitionStart(partition));
    s.fanout.publish(roomTopic(message.room), encodeFrame({ type: 'chat', ...message }));
  };

  return {
    join({ username, room: name }) {
      const r = room(name);
      r.sockets++;
      nameCounts.set(username, (nameCounts.get(username) ?? 0) + 1);
      r.names.set(username, (r.names.get(username) ?? 0) + 1);
      r.leaving.delete(username); // back within the grace: nobody noticed
    },
    leave({ username, room: name }) {
      const r = rooms.get(name);
      const count = r?.names.get(username);
      if (!r || !count) return;
      r.sockets--;
      const left = (nameCounts.get(username) ?? 1) - 1;
      if (left > 0) nameCounts.set(username, left);
      else nameCounts.delete(username);
      if (count > 1) {
        r.names.set(username, count - 1);
        return;
      }
      r.names.delete(username);
      if (!r.announced.has(username)) return; // joined and left before anyone was told
      r.leaving.set(username, now());
    },
    deliver(partition, messages, through, events = []) {
      const last = handled(partition);
      for (const message of messages) if (message.offset > last) send(partition, message);
      for (const e of events) {
        if (e.offset <= last) continue; // handled before (a consumer restart reads it again)
        if (e.kind === 'reaction') {
          // A message held here is folded and announced only when it changed; an older one the
          // clients may still show is announced as read (their fold ignores a repeat).
          const held = s.history.find(e.room, e.target) !== undefined;
          if (held && !s.history.react(e.room, e.target, e.emoji, e.name, e.on, e.offset)) continue;
          s.fanout.publish(roomTopic(e.room), encodeFrame({ type: 'reaction', room: e.room, target: e.target, emoji: e.emoji, name: e.name, on: e.on }));
        } else if (e.kind === 'redaction') {
          s.history.redact(e.room, e.target, e.offset);
          s.fanout.publish(roomTopic(e.room), encodeFrame({ type: 'redaction', room: e.room, target: e.target, by: e.by }));
        } else if (e.kind === 'settings') {
          s.fanout.publish(roomTopic(e.room), encodeFrame({ type: 'room-settings', room: e.room, slowModeSeconds: e.slowModeSeconds, by: e.by }));
        }
      }
      const reached = Math.max(through ?? -1, messages[messages.length - 1]?.offset ?? -1);
      if (reached > last) delivered.set(partition, reached);
    },
    deliverAcknowledged(partition, message) {
      if (handled(partition) !== message.offset - 1) return; // an earlier record is not here yet
      send(partition, message);
      delivered.set(partition, message.offset);
    },
    settle: (name) => s.fanout.flush?.(roomTopic(name)),
    rename(member, to) {
      const r = rooms.get(member.room);
      const count = r?.names.get(member.username);
      if (!r || !count) return;
      if (count > 1) r.names.set(member.username, count - 1);
      else r.names.delete(member.username);
      const total = (nameCounts.get(member.username) ?? 1) - 1;
      if (total > 0) nameCounts.set(member.username, total);
      else nameCounts.delete(member.username);
      nameCounts.set(to, (nameCounts.get(to) ?? 0) + 1);
      r.names.set(to, (r.names.get(to) ?? 0) + 1);
      renamed(member.room, member.username, to);
    },
    renamed,
    online(name) {
      // Called on every welcome: count without building the union (the others' share is usually small).
      const r = rooms.get(name);
      let n = r ? r.names.size + r.leaving.size : 0;
      for (const user of remote(name)) if (!r || (!r.names.has(user) && !r.leaving.has(user))) n++;
      return n;
    },
    users(name, after, limit) {
      const all = [...current(name, rooms.get(name))].sort();
      const from = after === undefined ? 0 : all.findIndex((u) => u > after);
      return from < 0 ? [] : all.slice(from, from + limit);
    },
    isOnline: (username) => nameCounts.has(username),
    names: () => [...nameCounts.keys()],
    nameRooms() {
      const out = new Map<string, string[]>();
      for (const [name, r] of rooms) {
        for (const user of r.names.keys()) {
          const list = out.get(user);
          if (list) list.push(name);
          else out.set(user, [name]);
        }
      }
      return out;
    },
    connectionCount() {
      let n = 0;
      for (const r of rooms.values()) n += r.sockets;
      return n;
    },
    roomCounts() {
      const out: Record<string, number> = {};
      for (const [name, r] of rooms) if (r.sockets > 0) out[name] = r.sockets;
      return out;
    },
    flushPresence,
    stop: () => clearInterval(timer),
  };
}
