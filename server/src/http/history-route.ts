// Older messages and search over the read model:
//   GET /rooms/:room/messages?before=<offset>&limit=<n>   one page before an offset, oldest first
//   GET /rooms/:room/search?q=<words>&limit=<n>           the room's messages matching every word
// Both are limited per client address like sends, and answer 503 while the read model is not
// there yet (the instance is still connecting).
import { Hono, type Context } from 'hono';
import { isValidRoom, type HistoryPage, type SearchResults } from '@anime-universe/protocol';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import { errorResponse } from '../error-response.ts';
import type { ReadModel } from '../history/read-model.ts';

export interface HistoryRouteDeps {
  readModel(): ReadModel | undefined;
  partitionOf(room: string): number;
  ipLimiter: KeyedLimiter;
  clientIp(c: Context): string;
}

const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;
const SEARCH_MAX = 50;
const QUERY_MAX = 200;

/** `limit` as 1..max (default when absent), or undefined when it is not a whole number in range. */
function parseLimit(raw: string | undefined, fallback: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d{1,4}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : undefined;
}

export function historyRoute(d: HistoryRouteDeps) {
  // Shared checks: a valid room, within the address's rate, and a read model to ask.
  const open = (c: Context): { room: string; model: ReadModel } | Response => {
    const room = c.req.param('room') ?? '';
    if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
    const wait = d.ipLimiter.take(d.clientIp(c));
    if (wait > 0) return errorResponse(c, 'rate_limited', undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    const model = d.readModel();
    if (!model) return errorResponse(c, 'history_unavailable', undefined, { 'Retry-After': '2' });
    return { room, model };
  };
  return new Hono()
    .get('/rooms/:room/messages', (c) => {
      const before = c.req.query('before');
      if (before !== undefined && !/^\d{1,15}$/.test(before)) return errorResponse(c, 'invalid_request', '"before" must be the offset of the oldest message you have.');
      const limit = parseLimit(c.req.query('limit'), PAGE_DEFAULT, PAGE_MAX);
      if (limit === undefined) return errorResponse(c, 'invalid_request', `"limit" must be 1 to ${PAGE_MAX}.`);
      const opened = open(c);
      if (opened instanceof Response) return opened;
      const page = opened.model.before(opened.room, d.partitionOf(opened.room), before === undefined ? undefined : Number(before), limit);
      const body: HistoryPage = { room: opened.room, messages: page.messages, atStart: page.atStart };
      return c.json(body);
    })
    .get('/rooms/:room/search', (c) => {
      const q = c.req.query('q')?.trim() ?? '';
      if (q.length === 0 || q.length > QUERY_MAX) return errorResponse(c, 'invalid_request', `"q" must be 1 to ${QUERY_MAX} characters.`);
      const limit = parseLimit(c.req.query('limit'), 20, SEARCH_MAX);
      if (limit === undefined) return errorResponse(c, 'invalid_request', `"limit" must be 1 to ${SEARCH_MAX}.`);
      const opened = open(c);
      if (opened instanceof Response) return opened;
      const body: SearchResults = { room: opened.room, query: q, results: opened.model.search(opened.room, q, limit) };
      return c.json(body);
    });
}
