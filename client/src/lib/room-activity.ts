// What the browser knows about rooms besides the open one: the last offset read in each room
// (kept in storage, so it survives a reload) and what GET /rooms says about the others (the
// busiest rooms, and unread counts for the rooms read before).
import type { RoomsInfo } from '@anime-universe/protocol';

const READ_KEY = 'anime-universe.read';
const MAX_ASKED = 50; // the server's limit of room:offset pairs

export interface RoomActivity {
  lastRead(room: string): number | undefined;
  /** The open room has been read up to `offset`. */
  markRead(room: string, offset: number): void;
  /** Asks GET /rooms about every room but `current` (with mentions of `me`); false when it failed. */
  refresh(current: string, me?: string): Promise<boolean>;
  /** The room was opened: its unread count goes. */
  opened(room: string): void;
  unread(): Record<string, number>;
  /** Unread messages that mention me, per other room. */
  mentions(): Record<string, number>;
  /** The rooms GET /rooms listed last (the same array while the list does not change). */
  listed(): string[];
  /** The welcome's rooms, then the others GET /rooms listed, then this browser's own (passcode rooms); the same array while none changes. */
  allRooms(offered: string[], own?: string[]): string[];
}

export function makeRoomActivity(
  storage: Pick<Storage, 'getItem' | 'setItem'>, getJson: (url: string) => Promise<unknown>, httpOrigin: string,
): RoomActivity {
  const read: Record<string, number> = (() => {
    try {
      const parsed = JSON.parse(storage.getItem(READ_KEY) ?? '{}') as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
    } catch {
      return {};
    }
  })();
  let unread: Record<string, number> = {};
  let mentions: Record<string, number> = {};
  let listed: string[] = [];
  let all: { from: [string[], string[]]; own: string; rooms: string[] } | undefined;
  return {
    lastRead: (room) => read[room],
    markRead(room, offset) {
      if (offset < 0 || read[room] === offset) return;
      read[room] = offset;
      storage.setItem(READ_KEY, JSON.stringify(read));
    },
    async refresh(current, me) {
      const q = Object.entries(read).filter(([r]) => r !== current).slice(0, MAX_ASKED).map(([r, o]) => `${r}:${o}`).join(',');
      const params = new URLSearchParams();
      if (q) params.set('read', q);
      if (q && me) params.set('mention', me);
      try {
        const info = (await getJson(`${httpOrigin}/rooms${params.size > 0 ? `?${params}` : ''}`)) as RoomsInfo;
        const others = info.rooms.filter((r) => r.room !== current);
        unread = Object.fromEntries(others.filter((r) => (r.unread ?? 0) > 0).map((r) => [r.room, r.unread as number]));
        mentions = Object.fromEntries(others.filter((r) => (r.mentions ?? 0) > 0).map((r) => [r.room, r.mentions as number]));
        const names = info.rooms.map((r) => r.room);
        if (names.join() !== listed.join()) listed = names;
        return true;
      } catch {
        return false; // the list stays as it was; the next refresh tries again
      }
    },
    opened(room) {
      if (room in unread) {
        const { [room]: _gone, ...rest } = unread;
        unread = rest;
      }
      if (room in mentions) {
        const { [room]: _gone, ...rest } = mentions;
        mentions = rest;
      }
    },
    unread: () => unread,
    mentions: () => mentions,
    listed: () => listed,
    allRooms(offered, own = []) {
      const key = own.join();
      if (all?.from[0] !== offered || all.from[1] !== listed || all.own !== key) {
        const rooms = [...offered, ...listed.filter((r) => !offered.includes(r))];
        all = { from: [offered, listed], own: key, rooms: [...rooms, ...own.filter((r) => !rooms.includes(r))] };
      }
      return all.rooms;
    },
  };
}
