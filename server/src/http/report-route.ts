// Reports of messages, for the moderators' queue:
//   POST   /rooms/:room/messages/:offset/reports   body {"reason"}   a chatter (chat token) reports a message
//   GET    /moderation/reports                                      open reports with their messages (moderators)
//   DELETE /moderation/reports/:id                                  dismisses a report (moderators)
// Reports go to their own topic, which every instance reads, so any instance shows the queue.
import { Hono, type Context } from 'hono';
import { decodeJsonObject, isValidRoom, MAX_REASON_LENGTH, type ChatMessage } from '@anime-universe/protocol';
import type { KeyedLimiter } from '../chat/rate-limit.ts';
import type { Tokens } from '../chat/tokens.ts';
import { errorResponse } from '../error-response.ts';
import type { ReportLog } from '../kafka/report-log.ts';
import type { Logger } from '../log.ts';

export interface ReportRouteDeps {
  reports: Pick<ReportLog, 'report' | 'dismiss' | 'open'>;
  /** The room's message at an offset, from this instance's history. */
  find(room: string, offset: number): ChatMessage | undefined;
  moderators: ReadonlyMap<string, string>;
  tokens: Tokens;
  /** Reports per client address (a few a minute). */
  reportLimiter: KeyedLimiter;
  clientIp(c: Context): string;
  log: Logger;
}

const bearerOf = (c: Context) => c.req.header('authorization')?.match(/^Bearer\s+(\S{1,300})$/i)?.[1];

export function reportRoute(d: ReportRouteDeps) {
  const moderator = (c: Context): string | Response => {
    const bearer = bearerOf(c);
    if (!bearer) return errorResponse(c, 'unauthorized', undefined, { 'WWW-Authenticate': 'Bearer' });
    return d.moderators.get(bearer) ?? errorResponse(c, 'forbidden', 'Only moderators see and dismiss reports.');
  };
  return new Hono()
    .post('/rooms/:room/messages/:offset/reports', async (c) => {
      const room = c.req.param('room');
      if (!isValidRoom(room)) return errorResponse(c, 'invalid_room');
      const rawOffset = c.req.param('offset');
      if (!/^\d{1,15}$/.test(rawOffset)) return errorResponse(c, 'invalid_request', 'The offset must be a whole number.');
      const reporter = d.tokens.verify(bearerOf(c));
      if (!reporter) return errorResponse(c, 'unauthorized', 'Report with your chat token (from the welcome) as the Bearer token.');
      const wait = d.reportLimiter.take(d.clientIp(c));
      if (wait > 0) return errorResponse(c, 'rate_limited', `Too many reports; try again in ${Math.ceil(wait / 1000)} s.`, { 'Retry-After': String(Math.ceil(wait / 1000)) });
      const raw = await c.req.text();
      if (raw.length > 1024) return errorResponse(c, 'body_too_large');
      const body = decodeJsonObject(raw.trim() === '' ? '{}' : raw);
      if (!body.ok) return errorResponse(c, body.error.code, body.error.message);
      const reason = body.value.reason ?? '';
      if (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH) return errorResponse(c, 'invalid_request', `"reason" must be text of at most ${MAX_REASON_LENGTH} characters.`);
      const offset = Number(rawOffset);
      if (!d.find(room, offset)) return errorResponse(c, 'message_not_found');
      const report = { id: crypto.randomUUID(), room, offset, reason: reason.trim(), by: reporter, at: new Date().toISOString() };
      try {
        await d.reports.report(report);
      } catch (error) {
        d.log.warn('report not stored', { room, offset, error });
        return errorResponse(c, 'kafka_unavailable', undefined, { 'Retry-After': '2' });
      }
      return c.json({ id: report.id }, 202);
    })
    .get('/moderation/reports', (c) => {
      const label = moderator(c);
      if (label instanceof Response) return label;
      c.header('Cache-Control', 'no-store');
      return c.json({ reports: d.reports.open().map((r) => ({ ...r, message: d.find(r.room, r.offset) ?? null })) });
    })
    .delete('/moderation/reports/:id', async (c) => {
      const label = moderator(c);
      if (label instanceof Response) return label;
      const id = c.req.param('id');
      if (!/^[0-9a-f-]{36}$/.test(id)) return errorResponse(c, 'invalid_request', 'Not a report id.');
      try {
        await d.reports.dismiss(id, `moderator:${label}`);
      } catch (error) {
        d.log.warn('dismissal not stored', { id, error });
        return errorResponse(c, 'kafka_unavailable', undefined, { 'Retry-After': '2' });
      }
      return c.json({ id, dismissed: true });
    });
}
