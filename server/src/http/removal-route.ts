// DELETE /rooms/:room/messages/:offset — removes a message. Authorization: Bearer with a
// moderator token (MODERATOR_TOKENS: any message) or the author's chat token (from the welcome:
// own messages, within AUTHOR_DELETE_WINDOW_MS). Optional JSON body {"reason": "..."}.
// Answers 200 {room, target, by, offset} once the redaction is stored.
import { Hono, type Context } from 'hono';
import { decodeJsonObject, isValidRoom, MAX_REASON_LENGTH } from '@anime-universe/protocol';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import type { Actor, Removals } from '../chat/removals.ts';
import type { Tokens } from '../chat/tokens.ts';
import { errorResponse } from '../error-response.ts';

export interface RemovalRouteDeps {
  removals: Removals;
  /** Moderator secrets and their labels. */
  moderators: ReadonlyMap<string, string>;
  tokens: Tokens;
  ipLimiter: KeyedLimiter;
  clientIp(c: Context): string;
}

const MAX_BODY = 1024;

export function removalRoute(d: RemovalRouteDeps) {
  const actorOf = (c: Context): Actor | undefined => {
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S{1,300})$/i)?.[1];
    if (!bearer) return undefined;
    const label = d.moderators.get(bearer);
    if (label) return { kind: 'moderator', label };
    const username = d.tokens.verify(bearer);
    return username ? { kind: 'author', username } : undefined;
  };
  return new Hono().delete('/rooms/:room/messages/:offset', async (c) => {
    const wait = d.ipLimiter.take(d.clientIp(c));
    if (wait > 0) return errorResponse(c, 'rate_limited', undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    const room = c.req.param('room');
    if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
    const rawOffset = c.req.param('offset');
    if (!/^\d{1,15}$/.test(rawOffset)) return errorResponse(c, 'invalid_request', 'The offset must be a whole number.');
    const actor = actorOf(c);
    if (!actor) return errorResponse(c, 'unauthorized', undefined, { 'WWW-Authenticate': 'Bearer' });
    let reason: string | undefined;
    const raw = await c.req.text();
    if (raw.length > MAX_BODY) return errorResponse(c, 'body_too_large');
    if (raw.trim() !== '') {
      const body = decodeJsonObject(raw);
      if (!body.ok) return errorResponse(c, body.error.code, body.error.message);
      const r = body.value.reason;
      if (r !== undefined && (typeof r !== 'string' || r.length > MAX_REASON_LENGTH)) {
        return errorResponse(c, 'invalid_request', `"reason" must be text of at most ${MAX_REASON_LENGTH} characters.`);
      }
      reason = typeof r === 'string' && r.trim() !== '' ? r.trim() : undefined;
    }
    const result = await d.removals.remove({ room, offset: Number(rawOffset), actor, reason });
    if (!result.ok) return errorResponse(c, result.code, result.message);
    const { ok: _ok, ...body } = result;
    return c.json(body);
  });
}
