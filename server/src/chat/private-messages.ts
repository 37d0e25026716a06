// Private messages between two names: a `dm` record keyed by the pair's thread (a key no room
// can take) on the chat topic, delivered by every instance to the sockets of those two names
// only. Allowed to a name online anywhere that takes private messages, or one the sender already
// has a thread with; not while timed out. A retried clientId is stored at most once, by the
// rules of the chat's messages: a retry waits for an attempt in flight; after an unknown outcome,
// or when the client says it is retrying (its first attempt may have gone to another instance),
// a read barrier on the thread's partition first brings this instance's view up to now.
import { ERRORS, privateThread, type ErrorCode, type PrivateMessage, type Result } from '@anime-universe/protocol';
import { PublishError, type MessageLog } from '../kafka/message-log.ts';
import type { Logger } from '../log.ts';
import { withTimeout } from '../with-timeout.ts';
import type { Timeouts } from './timeouts.ts';
import { keepNewest } from './bounded-map.ts';

export interface PrivateRequest {
  from: string;
  source?: string;
  to: string;
  /** Already checked by the protocol module. */
  text: string;
  clientId?: string;
  /** The client sent this clientId before without a confirmation. */
  retry?: boolean;
}

export interface PrivateSettings {
  /** Whether a name is online on any instance. */
  isOnline(name: string): boolean;
  /** Whether a name takes private messages (none of its sockets turned them off). */
  accepts(name: string): boolean;
  /** Whether the two names have a thread already. */
  hasThread(a: string, b: string): boolean;
  timeouts?: Timeouts;
  /** How long a retry waits for an earlier attempt or a read barrier (default 15 s). */
  sendTimeoutMs?: number;
}

/** Topic of a name's sockets (each socket subscribes to its own name's). */
export const userTopic = (name: string) => `user:${name}`;

const FAILURES: Record<PublishError['kind'], ErrorCode> = { unavailable: 'kafka_unavailable', busy: 'server_busy', unknown: 'outcome_unknown' };
const MAX_REMEMBERED = 20_000;

/** Stored at this offset, in flight, or sent without an answer (it may be stored). */
type Attempt = number | Promise<number> | 'unknown';

export function makePrivateMessages(messages: Pick<MessageLog, 'sendPrivate' | 'barrier'>, s: PrivateSettings, log: Logger) {
  const attempts = new Map<string, Attempt>(); // "from\nclientId", oldest first
  const timeoutMs = s.sendTimeoutMs ?? 15_000;
  const note = (key: string, attempt: Attempt) => {
    attempts.delete(key);
    attempts.set(key, attempt);
    keepNewest(attempts, MAX_REMEMBERED);
  };
  const refuse = (code: ErrorCode, message: string = ERRORS[code].message): Result<{ offset: number }> => ({ ok: false, error: { code, message } });
  const failed = (error: unknown) => {
    const kind = error instanceof PublishError ? error.kind : 'unknown';
    if (kind !== 'busy') log.warn('private message not confirmed', { kind, error });
    return refuse(FAILURES[kind]);
  };

  const publish = async (req: PrivateRequest): Promise<Result<{ offset: number }>> => {
    const { answer, outcome } = messages.sendPrivate({
      id: crypto.randomUUID(), from: req.from, to: req.to, text: req.text, timestamp: new Date().toISOString(), ...(req.clientId ? { clientId: req.clientId } : {}),
    });
    if (req.clientId) {
      const key = `${req.from}\n${req.clientId}`;
      const eventual = outcome.then((stored) => stored.offset);
      eventual.catch((error: unknown) => {
        if (attempts.get(key) !== eventual) return; // the consumer already saw it, or a newer attempt
        if (error instanceof PublishError && error.kind !== 'unknown') attempts.delete(key);
        else note(key, 'unknown');
      });
      note(key, eventual);
    }
    try {
      return { ok: true, value: { offset: (await answer).offset } };
    } catch (error) {
      return failed(error);
    }
  };

  const send = async (req: PrivateRequest): Promise<Result<{ offset: number }>> => {
    if (req.to === req.from) return refuse('invalid_request', 'Write to someone else.');
    if ((s.timeouts?.remaining(req.from, req.source) ?? 0) > 0) return refuse('timed_out', 'You are timed out; you can read but not write for now.');
    const key = req.clientId ? `${req.from}\n${req.clientId}` : undefined;
    let known = key ? attempts.get(key) : undefined;
    if (key && ((known === undefined && req.retry) || known === 'unknown')) {
      try {
        await withTimeout(messages.barrier(privateThread(req.from, req.to)), timeoutMs, 'read barrier');
      } catch (error) {
        return failed(new PublishError('unknown', `read barrier: ${(error as Error).message}`)); // cannot tell yet
      }
      known = attempts.get(key); // what the log holds up to now, or a concurrent retry's attempt
    }
    if (typeof known === 'number') return { ok: true, value: { offset: known } }; // a retry of a stored message
    if (known instanceof Promise) {
      try {
        return { ok: true, value: { offset: await withTimeout(known, timeoutMs, 'earlier attempt') } };
      } catch (error) {
        if (error instanceof PublishError && error.kind !== 'unknown') return send(req); // never stored; try again
        return failed(new PublishError('unknown', 'an earlier attempt is still without an answer'));
      }
    }
    if (!s.accepts(req.to)) return refuse('dm_refused', `${req.to} does not take private messages.`);
    if (!s.isOnline(req.to) && !s.hasThread(req.from, req.to)) return refuse('dm_unknown', `${req.to} is not online.`);
    return publish(req);
  };

  return {
    send,
    /** Private messages read from the log (any instance's): their clientIds count as stored. */
    remember(m: PrivateMessage) {
      if (m.clientId) note(`${m.from}\n${m.clientId}`, m.offset);
    },
  };
}

export type PrivateMessages = ReturnType<typeof makePrivateMessages>;
