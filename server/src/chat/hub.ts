// The rooms of this instance: who is connected where, presence, and fan-out of consumed messages.
// Each connection has a watermark (the highest offset it has been sent), so a message reaches a
// socket at most once even when Kafka redelivers or a resume overlaps live traffic.
import type { ChatMessage, ServerFrame } from '@anime-universe/protocol';
import type { RoomHistory } from './room-history.ts';

export interface Connection {
  readonly id: number;
  readonly username: string;
  readonly room: string;
  readonly ip: string;
  watermark: number;
  send(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

export interface Hub {
  join(conn: Connection): void;
  leave(conn: Connection): void;
  /** Delivers a message consumed from Kafka to the room's sockets and history. */
  deliver(message: ChatMessage, partition: number): void;
  setPartitionStarts(starts: ReadonlyMap<number, number>): void;
  isOnline(username: string): boolean;
  /** Every name with a connection on this instance. */
  names(): string[];
  online(room: string): string[];
  connectionCount(): number;
  roomCounts(): Record<string, number>;
  all(): Iterable<Connection>;
}

export function makeHub(history: RoomHistory): Hub {
  const rooms = new Map<string, Set<Connection>>();
  const nameCounts = new Map<string, number>();
  const partitionStarts = new Map<number, number>();
  const lastOffsets = new Map<number, number>();

  const usersIn = (room: string): string[] => {
    const names = new Set<string>();
    for (const c of rooms.get(room) ?? []) names.add(c.username);
    return [...names];
  };
  const hasName = (room: string, username: string, except?: Connection): boolean => {
    for (const c of rooms.get(room) ?? []) if (c !== except && c.username === username) return true;
    return false;
  };
  const announce = (room: string, event: 'join' | 'leave', username: string, skip?: Connection) => {
    const frame: ServerFrame = {
      type: 'presence', event, room, username, online: usersIn(room).length, timestamp: new Date().toISOString(),
    };
    for (const c of rooms.get(room) ?? []) if (c !== skip) c.send(frame);
  };

  return {
    join(conn) {
      const firstInRoom = !hasName(conn.room, conn.username);
      let set = rooms.get(conn.room);
      if (!set) rooms.set(conn.room, (set = new Set()));
      set.add(conn);
      nameCounts.set(conn.username, (nameCounts.get(conn.username) ?? 0) + 1);
      if (firstInRoom) announce(conn.room, 'join', conn.username, conn);
    },
    leave(conn) {
      const set = rooms.get(conn.room);
      if (!set?.delete(conn)) return;
      if (set.size === 0) rooms.delete(conn.room);
      const left = (nameCounts.get(conn.username) ?? 1) - 1;
      if (left > 0) nameCounts.set(conn.username, left);
      else nameCounts.delete(conn.username);
      if (!hasName(conn.room, conn.username)) announce(conn.room, 'leave', conn.username);
    },
    deliver(message, partition) {
      if (message.offset <= (lastOffsets.get(partition) ?? -1)) return; // redelivered after a consumer restart
      lastOffsets.set(partition, message.offset);
      history.add(message, partitionStarts.get(partition) ?? 0);
      const set = rooms.get(message.room);
      if (!set) return;
      const frame: ServerFrame = { type: 'chat', ...message };
      for (const conn of set) {
        if (message.offset <= conn.watermark) continue;
        conn.watermark = message.offset;
        conn.send(frame);
      }
    },
    setPartitionStarts(starts) {
      for (const [p, o] of starts) partitionStarts.set(p, o);
    },
    isOnline: (username) => nameCounts.has(username),
    names: () => [...nameCounts.keys()],
    online: usersIn,
    connectionCount() {
      let n = 0;
      for (const set of rooms.values()) n += set.size;
      return n;
    },
    roomCounts() {
      const out: Record<string, number> = {};
      for (const [room, set] of rooms) out[room] = set.size;
      return out;
    },
    *all() {
      for (const set of rooms.values()) yield* set;
    },
  };
}
