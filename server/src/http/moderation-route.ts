// Moderation over HTTP, for the web client and for bots. Authorization: Bearer with a moderator
// token (MODERATOR_TOKENS) or, for removing one's own message, the author's chat token.
//   DELETE /rooms/:room/messages/:offset   body {"reason"?}   removes a message
//   POST /moderation/timeouts              body {"name" | "room"+"offset", "minutes", "reason"?}
//                                          times out a name (and its address); minutes 0 lifts it
//   PUT /rooms/:room/settings              body {"slowModeSeconds"}: 0 (off) to 21,600
// Each answers once its record is stored on the log.
import { Hono, type Context } from 'hono';
import { decodeJsonObject, isValidRoom, isValidUsername, MAX_REASON_LENGTH, MAX_SLOW_MODE_SECONDS, type Result } from '@anime-universe/protocol';
import type { Actor, Moderation } from '../chat/moderation.ts';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import type { Tokens } from '../chat/tokens.ts';
import { errorResponse } from '../error-response.ts';

export interface ModerationRouteDeps {
  moderation: Moderation;
  /** Moderator secrets and their labels. */
  moderators: ReadonlyMap<string, string>;
  tokens: Tokens;
  ipLimiter: KeyedLimiter;
  clientIp(c: Context): string;
  defaultRoom: string;
}

const MAX_BODY = 1024;
const MAX_MINUTES = 7 * 24 * 60;

/** The optional JSON body (at most MAX_BODY bytes) as an object; empty means {}. */
async function readBody(c: Context): Promise<Result<Record<string, unknown>> | 'too_large'> {
  const raw = await c.req.text();
  if (raw.length > MAX_BODY) return 'too_large';
  if (raw.trim() === '') return { ok: true, value: {} };
  return decodeJsonObject(raw);
}

function parseReason(r: unknown): string | undefined | false {
  if (r === undefined) return undefined;
  if (typeof r !== 'string' || r.length > MAX_REASON_LENGTH) return false;
  return r.trim() === '' ? undefined : r.trim();
}

export function moderationRoute(d: ModerationRouteDeps) {
  const actorOf = (c: Context): Actor | undefined => {
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S{1,300})$/i)?.[1];
    if (!bearer) return undefined;
    const label = d.moderators.get(bearer);
    if (label) return { kind: 'moderator', label };
    const username = d.tokens.verify(bearer);
    return username ? { kind: 'author', username } : undefined;
  };
  const limited = (c: Context) => {
    const wait = d.ipLimiter.take(d.clientIp(c));
    return wait > 0 ? errorResponse(c, 'rate_limited', undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) }) : undefined;
  };
  const reasonError = (c: Context) => errorResponse(c, 'invalid_request', `"reason" must be text of at most ${MAX_REASON_LENGTH} characters.`);

  return new Hono()
    .delete('/rooms/:room/messages/:offset', async (c) => {
      const refused = limited(c);
      if (refused) return refused;
      const room = c.req.param('room');
      if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
      const rawOffset = c.req.param('offset');
      if (!/^\d{1,15}$/.test(rawOffset)) return errorResponse(c, 'invalid_request', 'The offset must be a whole number.');
      const actor = actorOf(c);
      if (!actor) return errorResponse(c, 'unauthorized', undefined, { 'WWW-Authenticate': 'Bearer' });
      const body = await readBody(c);
      if (body === 'too_large') return errorResponse(c, 'body_too_large');
      if (!body.ok) return errorResponse(c, body.error.code, body.error.message);
      const reason = parseReason(body.value.reason);
      if (reason === false) return reasonError(c);
      const result = await d.moderation.remove({ room, offset: Number(rawOffset), actor, reason });
      if (!result.ok) return errorResponse(c, result.code, result.message);
      const { ok: _ok, ...answer } = result;
      return c.json(answer);
    })
    .put('/rooms/:room/settings', async (c) => {
      const refused = limited(c);
      if (refused) return refused;
      const room = c.req.param('room');
      if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
      const actor = actorOf(c);
      if (!actor) return errorResponse(c, 'unauthorized', undefined, { 'WWW-Authenticate': 'Bearer' });
      if (actor.kind !== 'moderator') return errorResponse(c, 'forbidden', 'Only moderators may change a room\'s settings.');
      const body = await readBody(c);
      if (body === 'too_large') return errorResponse(c, 'body_too_large');
      if (!body.ok) return errorResponse(c, body.error.code, body.error.message);
      const slow = body.value.slowModeSeconds;
      if (typeof slow !== 'number' || !Number.isInteger(slow) || slow < 0 || slow > MAX_SLOW_MODE_SECONDS) {
        return errorResponse(c, 'invalid_request', `"slowModeSeconds" must be a whole number from 0 (off) to ${MAX_SLOW_MODE_SECONDS}.`);
      }
      const result = await d.moderation.setSlowMode(room, slow, actor.label);
      if (!result.ok) return errorResponse(c, result.code, result.message);
      const { ok: _ok, ...answer } = result;
      return c.json(answer);
    })
    .post('/moderation/timeouts', async (c) => {
      const refused = limited(c);
      if (refused) return refused;
      const actor = actorOf(c);
      if (!actor) return errorResponse(c, 'unauthorized', undefined, { 'WWW-Authenticate': 'Bearer' });
      if (actor.kind !== 'moderator') return errorResponse(c, 'forbidden', 'Only moderators may time someone out.');
      const body = await readBody(c);
      if (body === 'too_large') return errorResponse(c, 'body_too_large');
      if (!body.ok) return errorResponse(c, body.error.code, body.error.message);
      const { name, room = d.defaultRoom, offset, minutes } = body.value;
      if (name !== undefined && (typeof name !== 'string' || !isValidUsername(name))) return errorResponse(c, 'invalid_username');
      if (typeof room !== 'string' || !isValidRoom(room)) return errorResponse(c, 'invalid_room');
      if (offset !== undefined && (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)) {
        return errorResponse(c, 'invalid_request', '"offset" must be the offset of a message.');
      }
      if ((name === undefined) === (offset === undefined)) return errorResponse(c, 'invalid_request', 'Give either "name" or "room" and "offset".');
      if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0 || minutes > MAX_MINUTES) {
        return errorResponse(c, 'invalid_request', `"minutes" must be a whole number from 0 (lift) to ${MAX_MINUTES}.`);
      }
      const reason = parseReason(body.value.reason);
      if (reason === false) return reasonError(c);
      const result = await d.moderation.timeOut({
        ...(name === undefined ? {} : { name: name as string }), room, ...(offset === undefined ? {} : { offset: offset as number }),
        minutes, by: `moderator:${actor.label}`, reason,
      });
      if (!result.ok) return errorResponse(c, result.code, result.message);
      const { ok: _ok, ...answer } = result;
      return c.json(answer);
    });
}
