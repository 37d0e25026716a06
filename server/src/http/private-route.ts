// A name's private threads, for its own chat token only (Bearer):
//   GET /private?read=peer:offset,...        the threads, newest first, with unread counts
//   GET /private/:peer/messages?before=&limit  one page of the thread with `peer`
import { Hono, type Context } from 'hono';
import { isValidUsername, type PrivatePage, type PrivateThreads } from '@anime-universe/protocol';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import type { Tokens } from '../chat/tokens.ts';
import { errorResponse } from '../error-response.ts';
import type { ReadQueries } from '../history/read-queries.ts';

export interface PrivateRouteDeps {
  tokens: Tokens;
  readModel(): ReadQueries | undefined;
  ipLimiter: KeyedLimiter;
  clientIp(c: Context): string;
}

const THREADS = 100;
const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;
const UNREAD_CAP = 99;

export function privateRoute(d: PrivateRouteDeps) {
  // The name the Bearer token proves, within the address's rate, with a read model to ask.
  const open = (c: Context): { me: string; model: ReadQueries } | Response => {
    const me = d.tokens.verify(c.req.header('authorization')?.match(/^Bearer\s+(\S{1,300})$/i)?.[1]);
    if (!me) return errorResponse(c, 'unauthorized', 'Send your chat token (from the welcome) as the Bearer token.', { 'WWW-Authenticate': 'Bearer' });
    const wait = d.ipLimiter.take(d.clientIp(c));
    if (wait > 0) return errorResponse(c, 'rate_limited', undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    const model = d.readModel();
    if (!model) return errorResponse(c, 'history_unavailable', undefined, { 'Retry-After': '2' });
    c.header('Cache-Control', 'no-store');
    return { me, model };
  };
  return new Hono()
    .get('/private', (c) => {
      const opened = open(c);
      if (opened instanceof Response) return opened;
      const read = new Map<string, number>();
      for (const part of (c.req.query('read') ?? '').split(',').filter(Boolean).slice(0, THREADS)) {
        const m = /^([A-Za-z0-9_-]{2,32}):(-1|\d{1,15})$/.exec(part);
        if (!m) return errorResponse(c, 'invalid_request', '"read" must be name:offset pairs, comma-separated.');
        read.set(m[1] as string, Number(m[2]));
      }
      const body: PrivateThreads = {
        threads: opened.model.privateThreads(opened.me, THREADS).map((t) => {
          const since = read.get(t.peer);
          return { ...t, ...(since === undefined ? {} : { unread: opened.model.countPrivateAfter(t.peer, opened.me, since, UNREAD_CAP) }) };
        }),
      };
      return c.json(body);
    })
    .get('/private/:peer/messages', (c) => {
      const peer = c.req.param('peer');
      if (!isValidUsername(peer)) return errorResponse(c, 'invalid_username');
      const before = c.req.query('before');
      if (before !== undefined && !/^\d{1,15}$/.test(before)) return errorResponse(c, 'invalid_request', '"before" must be the offset of the oldest message you have.');
      const rawLimit = c.req.query('limit');
      const limit = rawLimit === undefined ? PAGE_DEFAULT : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) return errorResponse(c, 'invalid_request', `"limit" must be 1 to ${PAGE_MAX}.`);
      const opened = open(c);
      if (opened instanceof Response) return opened;
      const page = opened.model.privateBefore(opened.me, peer, before === undefined ? undefined : Number(before), limit);
      const body: PrivatePage = { peer, ...page };
      return c.json(body);
    });
}
