// Passcode rooms:
//   POST /rooms/:room/passcode  {"passcode"}  makes a new room that needs a passcode; answers a grant
//   POST /rooms/:room/join      {"passcode"}  a grant for a room that needs one (a few tries a minute)
// Only a salted hash of the passcode goes on the log (a `room-passcode` record, the first of a
// room wins); a grant is sent as `grant` on the socket URL or the X-Room-Grant header.
import { Hono, type Context } from 'hono';
import {
  decodeJsonObject, isValidRoom, MAX_PASSCODE_LENGTH, MIN_PASSCODE_LENGTH, textLength, type RoomGrant,
} from '@anime-universe/protocol';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import type { RoomLocks } from '../chat/room-locks.ts';
import { errorResponse } from '../error-response.ts';
import { PublishError, type MessageLog } from '../kafka/message-log.ts';
import type { Logger } from '../log.ts';
import { withTimeout } from '../with-timeout.ts';

export interface RoomLockRouteDeps {
  locks: RoomLocks;
  messages: Pick<MessageLog, 'lockRoom' | 'barrier'>;
  /** The newest offset of a room (-1: it never had a message). */
  latestOffset(room: string): number;
  themedRooms: readonly string[];
  /** Passcode tries per address and room. */
  attempts: KeyedLimiter;
  clientIp(c: Context): string;
  sendTimeoutMs: number;
  log: Logger;
}

/** The room from the path and the passcode from the body, or the error response. */
async function parse(c: Context): Promise<{ room: string; passcode: string } | Response> {
  const room = c.req.param('room') ?? '';
  if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
  const raw = await c.req.text();
  if (raw.length > 1024) return errorResponse(c, 'body_too_large');
  const body = decodeJsonObject(raw);
  if (!body.ok) return errorResponse(c, body.error.code, body.error.message);
  const passcode = body.value.passcode;
  if (typeof passcode !== 'string' || textLength(passcode) < MIN_PASSCODE_LENGTH || textLength(passcode) > MAX_PASSCODE_LENGTH) return errorResponse(c, 'invalid_passcode');
  return { room, passcode };
}

export function roomLockRoute(d: RoomLockRouteDeps) {
  const limited = (c: Context, room: string): Response | undefined => {
    const wait = d.attempts.take(`${d.clientIp(c)}\n${room}`);
    if (wait <= 0) return undefined;
    return errorResponse(c, 'rate_limited', `Too many tries; wait ${Math.ceil(wait / 1000)} s.`, { 'Retry-After': String(Math.ceil(wait / 1000)) });
  };
  return new Hono()
    .post('/rooms/:room/passcode', async (c) => {
      const parsed = await parse(c);
      if (parsed instanceof Response) return parsed;
      const { room, passcode } = parsed;
      const refused = limited(c, room);
      if (refused) return refused;
      if (d.themedRooms.includes(room) || d.locks.isLocked(room) || d.latestOffset(room) >= 0) return errorResponse(c, 'room_taken');
      const hash = await Bun.password.hash(passcode); // argon2id with its own salt
      try {
        await d.messages.lockRoom({ id: crypto.randomUUID(), room, hash, timestamp: new Date().toISOString() }).answer;
        // Another creator may have been first: read the log up to now, then see whose record won.
        await withTimeout(d.messages.barrier(room), d.sendTimeoutMs, 'read barrier');
      } catch (error) {
        const kind = error instanceof PublishError ? error.kind : 'unknown';
        d.log.warn('room passcode not confirmed', { room, kind, error });
        return errorResponse(c, kind === 'busy' ? 'server_busy' : kind === 'unavailable' ? 'kafka_unavailable' : 'outcome_unknown', undefined, { 'Retry-After': '2' });
      }
      if (d.locks.hashOf(room) !== hash) return errorResponse(c, 'room_taken');
      d.log.info('passcode room created', { room });
      const body: RoomGrant = { room, grant: d.locks.grant(room) };
      return c.json(body, 201);
    })
    .post('/rooms/:room/join', async (c) => {
      const parsed = await parse(c);
      if (parsed instanceof Response) return parsed;
      const { room, passcode } = parsed;
      const refused = limited(c, room);
      if (refused) return refused;
      if (!d.locks.isLocked(room)) return errorResponse(c, 'not_found', 'This room does not need a passcode.');
      if (!(await d.locks.check(room, passcode))) return errorResponse(c, 'wrong_passcode');
      const body: RoomGrant = { room, grant: d.locks.grant(room) };
      return c.json(body);
    });
}
