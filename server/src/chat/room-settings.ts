// Room settings folded from the log (and loaded from the read model at start), and slow mode:
// one message per slowModeSeconds per name and room, counted on this instance (a chatter's
// socket stays on one instance). Moderators are exempt.
import { keepNewest } from './bounded-map.ts';

export interface RoomSettings {
  apply(s: { room: string; slowModeSeconds: number }): void;
  load(list: ReadonlyArray<{ room: string; slowModeSeconds: number }>): void;
  slowMode(room: string): number;
  /** Milliseconds until `name` may post in `room` again; 0 when it may now. */
  wait(room: string, name: string, now?: number): number;
  posted(room: string, name: string, now?: number): void;
}

const MAX_TRACKED = 50_000;

export function makeRoomSettings(): RoomSettings {
  const slow = new Map<string, number>(); // room -> seconds (only rooms with slow mode on)
  const last = new Map<string, number>(); // "room\nname" -> when it last posted, in rooms with slow mode
  return {
    apply({ room, slowModeSeconds }) {
      if (slowModeSeconds > 0) slow.set(room, slowModeSeconds);
      else slow.delete(room);
    },
    load(list) {
      for (const s of list) this.apply(s);
    },
    slowMode: (room) => slow.get(room) ?? 0,
    wait(room, name, now = Date.now()) {
      const seconds = slow.get(room);
      const at = last.get(`${room}\n${name}`);
      return seconds && at !== undefined ? Math.max(0, at + seconds * 1000 - now) : 0;
    },
    posted(room, name, now = Date.now()) {
      if (!slow.has(room)) return;
      const key = `${room}\n${name}`;
      last.delete(key);
      last.set(key, now);
      keepNewest(last, MAX_TRACKED);
    },
  };
}
