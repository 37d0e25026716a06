// POST /chat/send: for scripts and bots. Answers 201 with the stored message once Kafka has it.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ChatService } from '../chat/chat-service.ts';
import type { Metrics } from '../chat/metrics.ts';
import { generateName } from '../chat/names.ts';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import type { Tokens } from '../chat/tokens.ts';
import { decodeClientId, decodeJsonObject, decodeReplyTarget, decodeText, isValidRoom, isValidUsername } from '@anime-universe/protocol';
import { errorResponse } from '../error-response.ts';

export interface SendDeps {
  /** An open room, or a passcode room with a grant for it. */
  mayEnter?(room: string, grant: string | undefined): boolean;
  chat: ChatService;
  /** A name someone online uses, on this instance or another. */
  nameInUse(name: string): boolean;
  tokens: Tokens;
  ipLimiter: KeyedLimiter;
  metrics: Metrics;
  clientIp(c: Context): string;
  /** The address as the log may name it (for timeouts). */
  sourceOf?(address: string): string;
  /** Moderator secrets: a send with one as its Bearer token is exempt from slow mode. */
  moderators?: ReadonlyMap<string, string>;
  defaultRoom: string;
  maxBodyBytes: number;
}

export function sendRoute(d: SendDeps) {
  const limit = bodyLimit({ maxSize: d.maxBodyBytes, onError: (c) => errorResponse(c, 'body_too_large') });
  return new Hono().post('/chat/send', async (c, next) => {
    const waitMs = d.ipLimiter.take(d.clientIp(c));
    if (waitMs > 0) {
      d.metrics.recordRateLimited('http');
      return errorResponse(c, 'rate_limited', `Too many messages; retry in ${Math.ceil(waitMs / 1000)} s.`, {
        'Retry-After': String(Math.ceil(waitMs / 1000)),
      });
    }
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) return errorResponse(c, 'unsupported_media_type');
    await next();
  }, limit, async (c) => {
    const raw = await c.req.text();
    const body = decodeJsonObject(raw);
    if (!body.ok) return errorResponse(c, body.error.code, body.error.message);
    const { text: rawText, room = d.defaultRoom, username, clientId: rawClientId, token: bodyToken, retry, replyTo: rawReplyTo, grant: bodyGrant } = body.value;

    if (typeof room !== 'string' || !isValidRoom(room)) return errorResponse(c, 'invalid_room');
    const grant = c.req.header('x-room-grant') ?? (typeof bodyGrant === 'string' ? bodyGrant : undefined);
    if (d.mayEnter && !d.mayEnter(room, grant)) return errorResponse(c, 'passcode_required');
    if (username !== undefined && (typeof username !== 'string' || !isValidUsername(username))) {
      return errorResponse(c, 'invalid_username');
    }
    const clientId = decodeClientId(rawClientId);
    if (!clientId.ok) return errorResponse(c, clientId.error.code, clientId.error.message);
    if (retry !== undefined && typeof retry !== 'boolean') return errorResponse(c, 'invalid_request', '"retry" must be true or false.');
    const text = decodeText(rawText);
    if (!text.ok) return errorResponse(c, text.error.code, text.error.message);
    const replyTo = decodeReplyTarget(rawReplyTo);
    if (!replyTo.ok) return errorResponse(c, replyTo.error.code, replyTo.error.message);

    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const owner = d.tokens.verify(bearer ?? (typeof bodyToken === 'string' ? bodyToken : undefined));
    let name: string;
    if (typeof username === 'string') {
      if (username !== owner && d.nameInUse(username)) return errorResponse(c, 'name_taken');
      name = username;
    } else {
      name = owner ?? generateName(d.nameInUse);
    }

    const source = d.sourceOf?.(d.clientIp(c));
    const moderator = bearer !== undefined && d.moderators?.has(bearer) === true;
    const sent = await d.chat.send({
      room, username: name, text: text.value, clientId: clientId.value, retry: retry === true, moderator, ...(source ? { source } : {}),
      ...(replyTo.value !== undefined ? { replyTo: replyTo.value } : {}),
    });
    if (!sent.ok) return errorResponse(c, sent.error.code, sent.error.message, { 'Retry-After': String(Math.ceil((sent.error.retryAfterMs ?? 2000) / 1000)) });
    return c.json(sent.value.message, sent.value.duplicate ? 200 : 201);
  });
}
