// Recent messages per room, in Kafka order, for welcome history and resume.
// Each room keeps a `floor`: the lowest offset from which this instance holds every message of
// the room. A resume from offset X is exact when X + 1 >= floor. Removals and reactions change
// held messages in place, and each room remembers which messages changed at which offset, so a
// resume from X also gets the messages at or before X that changed after it.
import { applyReaction, quoteRemoved, type ChatMessage } from '@anime-universe/protocol';

interface Room {
  messages: ChatMessage[];
  floor: number;
  /** Which message (target) an event at offset `at` changed, oldest first. */
  changes: Array<{ at: number; target: number }>;
}

/** Changes remembered per room for resumes (older ones come from the read model). */
const MAX_CHANGES = 1000;

export interface ResumeResult {
  messages: ChatMessage[];
  /** True when `messages` are exactly all messages after the requested offset. */
  complete: boolean;
}

export interface RoomHistory {
  /** Adds a consumed message; `partitionStart` is where this instance began reading its partition. */
  add(message: ChatMessage, partitionStart: number): void;
  recent(room: string, count: number): ChatMessage[];
  since(room: string, offset: number, max: number): ResumeResult;
  latestOffset(room: string): number;
  /** The lowest offset from which the room's every message is held; undefined for an unknown room. */
  floor(room: string): number | undefined;
  /** The room's message at `offset`, if held here. */
  find(room: string, offset: number): ChatMessage | undefined;
  /** Blanks the room's message at `offset` (a redaction read at `at`), if held here. */
  redact(room: string, offset: number, at?: number): void;
  /** Folds a reaction read at `at` into the room's message at `target`; false when nothing changed or it is not held. */
  react(room: string, target: number, emoji: string, name: string, on: boolean, at: number): boolean;
  /** Held messages at or before `offset` that changed after it (oldest first, at most `max`), in their current state. */
  changedSince(room: string, offset: number, max: number): ChatMessage[];
  roomCount(): number;
}

/** What is left of a removed message: its place, author and time; no text, no reactions. */
export const redacted = ({ reactions: _gone, ...m }: ChatMessage): ChatMessage => ({ ...m, text: '', redacted: true });

/** Index of the message at `offset` in an offset-ordered list, or -1. */
function indexOf(messages: readonly ChatMessage[], offset: number): number {
  let lo = 0;
  let hi = messages.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = (messages[mid] as ChatMessage).offset;
    if (o === offset) return mid;
    if (o < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const changed = (room: Room, at: number, target: number) => {
  room.changes.push({ at, target });
  if (room.changes.length > MAX_CHANGES) room.changes.splice(0, room.changes.length - MAX_CHANGES);
};

export function makeRoomHistory(perRoom: number, maxRooms: number): RoomHistory {
  const rooms = new Map<string, Room>();
  let evicted = false; // once a room was dropped, a room seen again may have lost messages

  const touch = (name: string): Room | undefined => {
    const room = rooms.get(name);
    if (room) {
      rooms.delete(name);
      rooms.set(name, room); // most recently used last
    }
    return room;
  };

  return {
    add(message, partitionStart) {
      let room = touch(message.room);
      if (!room) {
        room = { messages: [], floor: evicted ? message.offset : partitionStart, changes: [] };
        rooms.set(message.room, room);
        if (rooms.size > maxRooms) {
          rooms.delete(rooms.keys().next().value as string);
          evicted = true;
        }
      }
      room.messages.push(message);
      if (room.messages.length > perRoom) {
        const dropped = room.messages.shift() as ChatMessage;
        room.floor = dropped.offset + 1;
      }
    },
    recent(name, count) {
      const messages = rooms.get(name)?.messages ?? [];
      return count > 0 ? messages.slice(-count) : [];
    },
    since(name, offset, max) {
      const room = rooms.get(name);
      if (!room) return { messages: [], complete: false };
      const after = room.messages.filter((m) => m.offset > offset);
      const complete = offset + 1 >= room.floor && after.length <= max;
      return { messages: after.slice(-max), complete };
    },
    latestOffset(name) {
      const messages = rooms.get(name)?.messages;
      return messages && messages.length > 0 ? (messages[messages.length - 1] as ChatMessage).offset : -1;
    },
    floor: (name) => rooms.get(name)?.floor,
    find(name, offset) {
      const messages = rooms.get(name)?.messages ?? [];
      return messages[indexOf(messages, offset)];
    },
    redact(name, offset, at) {
      const room = rooms.get(name);
      const i = room ? indexOf(room.messages, offset) : -1;
      if (!room || i < 0) return;
      room.messages[i] = redacted(room.messages[i] as ChatMessage);
      if (at !== undefined) changed(room, at, offset);
      // Replies to it keep their place and lose the quoted words.
      for (let j = i + 1; j < room.messages.length; j++) {
        const m = room.messages[j] as ChatMessage;
        const blanked = quoteRemoved(m, offset);
        if (blanked === m) continue;
        room.messages[j] = blanked;
        if (at !== undefined) changed(room, at, m.offset);
      }
    },
    react(name, target, emoji, user, on, at) {
      const room = rooms.get(name);
      const i = room ? indexOf(room.messages, target) : -1;
      const m = room?.messages[i];
      if (!room || !m || m.redacted) return false;
      const reactions = applyReaction(m.reactions, emoji, user, on);
      if (reactions === m.reactions) return false;
      const { reactions: _old, ...rest } = m;
      room.messages[i] = reactions ? { ...rest, reactions } : rest;
      changed(room, at, target);
      return true;
    },
    changedSince(name, offset, max) {
      const room = rooms.get(name);
      if (!room) return [];
      const targets = new Set<number>();
      for (let i = room.changes.length - 1; i >= 0 && (room.changes[i] as Room['changes'][number]).at > offset; i--) {
        const { target } = room.changes[i] as Room['changes'][number];
        if (target <= offset) targets.add(target);
      }
      const out: ChatMessage[] = [];
      for (const target of [...targets].sort((a, b) => a - b)) {
        const m = room.messages[indexOf(room.messages, target)];
        if (m) out.push(m);
      }
      return out.slice(-max);
    },
    roomCount: () => rooms.size,
  };
}
