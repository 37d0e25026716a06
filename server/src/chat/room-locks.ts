// Passcode rooms: which rooms need a passcode (folded from `room-passcode` records in log order,
// the first of a room wins; loaded from the read model at start), checking a passcode against the
// stored salted hash (never the passcode itself), and grants: an HMAC over the room and an
// expiry, so any instance sharing TOKEN_SECRET lets the holder in without asking again.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidRoom } from '@anime-universe/protocol';

/** How long a grant lets its holder in. */
export const GRANT_TTL_MS = 30 * 24 * 3600 * 1000;

export interface RoomLocks {
  apply(e: { room: string; hash: string }): void;
  load(list: ReadonlyArray<{ room: string; hash: string }>): void;
  isLocked(room: string): boolean;
  /** The stored hash, for telling whether a just-written record won. */
  hashOf(room: string): string | undefined;
  /** Whether `passcode` is the room's (false for an open room). */
  check(room: string, passcode: string): Promise<boolean>;
  grant(room: string, now?: number): string;
  /** An open room, or a locked one with a valid grant for it. */
  mayEnter(room: string, grant: string | undefined | null, now?: number): boolean;
}

export function makeRoomLocks(secret: string): RoomLocks {
  const hashes = new Map<string, string>();
  const sign = (payload: string) => createHmac('sha256', `room-grant:${secret}`).update(payload).digest('base64url');
  const valid = (room: string, grant: string, now: number) => {
    if (grant.length > 200) return false;
    const [version, grantRoom, expires, mac] = grant.split('.');
    if (version !== 'g1' || grantRoom !== room || !expires || !mac || !/^\d{1,15}$/.test(expires) || Number(expires) < now) return false;
    const given = Buffer.from(mac);
    const expected = Buffer.from(sign(`g1.${room}.${expires}`));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return {
    apply({ room, hash }) {
      if (!hashes.has(room) && isValidRoom(room)) hashes.set(room, hash);
    },
    load(list) {
      for (const l of list) this.apply(l);
    },
    isLocked: (room) => hashes.has(room),
    hashOf: (room) => hashes.get(room),
    async check(room, passcode) {
      const hash = hashes.get(room);
      return hash !== undefined && (await Bun.password.verify(passcode, hash).catch(() => false));
    },
    grant(room, now = Date.now()) {
      const payload = `g1.${room}.${now + GRANT_TTL_MS}`;
      return `${payload}.${sign(payload)}`;
    },
    mayEnter(room, grant, now = Date.now()) {
      if (!hashes.has(room)) return true;
      return typeof grant === 'string' && valid(room, grant, now);
    },
  };
}
