// Private messages between two names: a `dm` record keyed by the pair's thread (a key no room
// can take) on the chat topic, delivered by every instance to the sockets of those two names
// only. Allowed to a name online anywhere that takes private messages, or one the sender already
// has a thread with; not while timed out. A retried clientId is stored once per instance.
import { ERRORS, type ErrorCode, type PrivateMessage, type Result } from '@anime-universe/protocol';
import { PublishError, type MessageLog } from '../kafka/message-log.ts';
import type { Logger } from '../log.ts';
import type { Timeouts } from './timeouts.ts';
import { keepNewest } from './bounded-map.ts';

export interface PrivateRequest {
  from: string;
  source?: string;
  to: string;
  /** Already checked by the protocol module. */
  text: string;
  clientId?: string;
}

export interface PrivateSettings {
  /** Whether a name is online on any instance. */
  isOnline(name: string): boolean;
  /** Whether a name takes private messages (none of its sockets turned them off). */
  accepts(name: string): boolean;
  /** Whether the two names have a thread already. */
  hasThread(a: string, b: string): boolean;
  timeouts?: Timeouts;
}

/** Topic of a name's sockets (each socket subscribes to its own name's). */
export const userTopic = (name: string) => `user:${name}`;

const FAILURES: Record<PublishError['kind'], ErrorCode> = { unavailable: 'kafka_unavailable', busy: 'server_busy', unknown: 'outcome_unknown' };
const MAX_REMEMBERED = 20_000;

export function makePrivateMessages(messages: Pick<MessageLog, 'sendPrivate'>, s: PrivateSettings, log: Logger) {
  const stored = new Map<string, number>(); // "from\nclientId" -> offset, oldest first
  const remember = (from: string, clientId: string | undefined, offset: number) => {
    if (!clientId) return;
    stored.set(`${from}\n${clientId}`, offset);
    keepNewest(stored, MAX_REMEMBERED);
  };
  const refuse = (code: ErrorCode, message: string = ERRORS[code].message): Result<{ offset: number }> => ({ ok: false, error: { code, message } });
  return {
    async send(req: PrivateRequest): Promise<Result<{ offset: number }>> {
      if (req.to === req.from) return refuse('invalid_request', 'Write to someone else.');
      if ((s.timeouts?.remaining(req.from, req.source) ?? 0) > 0) return refuse('timed_out', 'You are timed out; you can read but not write for now.');
      const known = req.clientId ? stored.get(`${req.from}\n${req.clientId}`) : undefined;
      if (known !== undefined) return { ok: true, value: { offset: known } }; // a retry of a stored message
      if (!s.accepts(req.to)) return refuse('dm_refused', `${req.to} does not take private messages.`);
      if (!s.isOnline(req.to) && !s.hasThread(req.from, req.to)) return refuse('dm_unknown', `${req.to} is not online.`);
      try {
        const answer = await messages.sendPrivate({
          id: crypto.randomUUID(), from: req.from, to: req.to, text: req.text, timestamp: new Date().toISOString(), ...(req.clientId ? { clientId: req.clientId } : {}),
        }).answer;
        remember(req.from, req.clientId, answer.offset);
        return { ok: true, value: { offset: answer.offset } };
      } catch (error) {
        const kind = error instanceof PublishError ? error.kind : 'unknown';
        if (kind !== 'busy') log.warn('private message not confirmed', { kind, error });
        return refuse(FAILURES[kind]);
      }
    },
    /** Private messages read from the log (any instance's): their clientIds count as stored. */
    remember: (m: PrivateMessage) => remember(m.from, m.clientId, m.offset),
  };
}

export type PrivateMessages = ReturnType<typeof makePrivateMessages>;
