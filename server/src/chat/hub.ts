// The rooms of this instance: who is online where (name counts per room, no scans), presence
// coalesced into at most one frame per room per interval, and fan-out of stored messages: each
// frame is encoded once and published to the room's topic, which the runtime writes to every
// subscribed socket natively.
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
  now?: () => number;
}

export interface Hub {
  join(member: Member): void;
  leave(member: Member): void;
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
  /** Names online in the room (including ones in their rejoin grace). */
  online(room: string): number;
  /** Names in the room in sorted order after `after`, at most `limit`. */
  users(room: string, after: string | undefined, limit: number): string[];
  isOnline(username: string): boolean;
  /** Every name with a connection on this instance. */
  names(): string[];
  connectionCount(): number;
  roomCounts(): Record<string, number>;
  /** Sends the pending presence changes now (the timer calls it; tests may too). */
  flushPresence(): void;
  stop(): void;
}

interface Room {
  names: Map<string, number>; // name -> open sockets
  sockets: number;
  joined: Set<string>; // not yet announced
  leaving: Map<string, number>; // name -> when its last socket closed
}

export function makeHub(s: HubSettings): Hub {
  const now = s.now ?? Date.now;
  const graceMs = s.rejoinGraceMs ?? 5000;
  const rooms = new Map<string, Room>();
  const nameCounts = new Map<string, number>();
  const delivered = new Map<number, number>(); // partition -> last offset handled (sent or skipped)
  const dirty = new Set<string>();

  const room = (name: string): Room => {
    let r = rooms.get(name);
    if (!r) rooms.set(name, (r = { names: new Map(), sockets: 0, joined: new Set(), leaving: new Map() }));
    return r;
  };

  const flushPresence = () => {
    const t = now();
    for (const name of dirty) {
      const r = rooms.get(name);
      if (!r) {
        dirty.delete(name);
        continue;
      }
      const left: string[] = [];
      for (const [user, at] of r.leaving) {
        if (t - at < graceMs) continue;
        r.leaving.delete(user);
        left.push(user);
      }
      if (r.joined.size > 0 || left.length > 0) {
        const joined = [...r.joined];
        r.joined.clear();
        s.fanout.publish(roomTopic(name), encodeFrame({
          type: 'presence', room: name, joined, left, online: r.names.size + r.leaving.size, timestamp: new Date(t).toISOString(),
        }));
      }
      if (r.leaving.size === 0) dirty.delete(name);
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
      const count = r.names.get(username) ?? 0;
      r.names.set(username, count + 1);
      if (count > 0) return;
      if (r.leaving.delete(username)) return; // back within the grace: nobody noticed
      r.joined.add(username);
      dirty.add(name);
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
      if (r.joined.delete(username)) return; // joined and left before anyone was told
      r.leaving.set(username, now());
      dirty.add(name);
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
    online(name) {
      const r = rooms.get(name);
      return r ? r.names.size + r.leaving.size : 0;
    },
    users(name, after, limit) {
      const r = rooms.get(name);
      if (!r) return [];
      const all = [...r.names.keys(), ...r.leaving.keys()].sort();
      const from = after === undefined ? 0 : all.findIndex((u) => u > after);
      return from < 0 ? [] : all.slice(from, from + limit);
    },
    isOnline: (username) => nameCounts.has(username),
    names: () => [...nameCounts.keys()],
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
