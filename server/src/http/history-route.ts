// Rooms, older messages and search over the read model:
//   GET /rooms?read=<room>:<offset>,...                    themed and busy rooms with activity and unread counts
//   GET /rooms/:room/messages?before=<offset>&limit=<n>   one page before an offset, oldest first
//   GET /rooms/:room/search?q=<words>&limit=<n>           the room's messages matching every word
// Both are limited per client address like sends, and answer 503 while the read model is not
// there yet (the instance is still connecting).
import { Hono, type Context } from 'hono';
import { isValidRoom, type HistoryPage, type RoomsInfo, type SearchResults } from '@anime-universe/protocol';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import { errorResponse } from '../error-response.ts';
import type { ReadQueries } from '../history/read-queries.ts';

export interface HistoryRouteDeps {
  readModel(): ReadQueries | undefined;
  partitionOf(room: string): number;
  ipLimiter: KeyedLimiter;
  clientIp(c: Context): string;
  /** The rooms every visitor is offered. */
  themedRooms: readonly string[];
  /** Connections in a room across all instances. */
  onlineIn(room: string): number;
  /** An open room, or a passcode room with a grant for it. */
  mayEnter?(room: string, grant: string | undefined): boolean;
  /** Passcode rooms are never listed. */
  isLocked?(room: string): boolean;
}

const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;
const SEARCH_MAX = 50;
const QUERY_MAX = 200;
const ACTIVE_ROOMS = 20;
const ACTIVE_WINDOW_MS = 24 * 3600 * 1000;
const READ_MAX = 50; // rooms a reader may ask unread counts for
const UNREAD_CAP = 999;
const MENTIONS_CAP = 99;

/** "room:offset,room:offset" (the reader's last-read offsets), or undefined when malformed. */
function parseRead(raw: string | undefined): Map<string, number> | undefined {
  const out = new Map<string, number>();
  if (raw === undefined || raw === '') return out;
  const parts = raw.split(',');
  if (parts.length > READ_MAX) return undefined;
  for (const part of parts) {
    const m = /^([a-z0-9-]{1,32}):(-1|\d{1,15})$/.exec(part);
    if (!m || !isValidRoom(m[1] as string)) return undefined;
    out.set(m[1] as string, Number(m[2]));
  }
  return out;
}

/** `limit` as 1..max (default when absent), or undefined when it is not a whole number in range. */
function parseLimit(raw: string | undefined, fallback: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d{1,4}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : undefined;
}

export function historyRoute(d: HistoryRouteDeps) {
  // Shared checks: a valid room, within the address's rate, and a read model to ask.
  const open = (c: Context): { room: string; model: ReadQueries } | Response => {
    const room = c.req.param('room') ?? '';
    if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
    if (d.mayEnter && !d.mayEnter(room, c.req.header('x-room-grant') ?? c.req.query('grant'))) return errorResponse(c, 'passcode_required');
    const wait = d.ipLimiter.take(d.clientIp(c));
    if (wait > 0) return errorResponse(c, 'rate_limited', undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    const model = d.readModel();
    if (!model) return errorResponse(c, 'history_unavailable', undefined, { 'Retry-After': '2' });
    return { room, model };
  };
  return new Hono()
    .get('/rooms', (c) => {
      const read = parseRead(c.req.query('read'));
      if (!read) return errorResponse(c, 'invalid_request', `"read" must be up to ${READ_MAX} room:offset pairs, comma-separated.`);
      const mention = c.req.query('mention');
      if (mention !== undefined && !/^[A-Za-z0-9_-]{2,32}$/.test(mention)) return errorResponse(c, 'invalid_request', '"mention" must be a chat name.');
      const wait = d.ipLimiter.take(d.clientIp(c));
      if (wait > 0) return errorResponse(c, 'rate_limited', undefined, { 'Retry-After': String(Math.ceil(wait / 1000)) });
      const model = d.readModel();
      if (!model) return errorResponse(c, 'history_unavailable', undefined, { 'Retry-After': '2' });
      const active = model.activeRooms(new Date(Date.now() - ACTIVE_WINDOW_MS), ACTIVE_ROOMS);
      const names = [...new Set([...d.themedRooms, ...active.map((a) => a.room), ...read.keys()])].filter((r) => !d.isLocked?.(r));
      const latest = new Map(active.map((a) => [a.room, a.latestOffset]));
      const body: RoomsInfo = {
        rooms: names.map((room) => {
          const latestOffset = latest.get(room) ?? model.latestOffset(room);
          const since = read.get(room);
          return {
            room, latestOffset, online: d.onlineIn(room),
            ...(since === undefined ? {} : { unread: since >= latestOffset ? 0 : model.countAfter(room, since, UNREAD_CAP) }),
            ...(since === undefined || mention === undefined ? {} : { mentions: since >= latestOffset ? 0 : model.countMentions(room, mention, since, MENTIONS_CAP) }),
          };
        }),
      };
      c.header('Cache-Control', 'no-store');
      return c.json(body);
    })
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
