// Accepting a message: one path for WebSocket and HTTP. Builds the record, publishes it, and
// keeps a retried clientId idempotent: while a send with that clientId is in flight, a retry
// waits for it. When an earlier attempt's outcome is unknown, or the client says this is a retry
// (its first attempt may have gone to another instance), a read barrier first brings this
// instance's view of the room's partition up to now: if any attempt was stored, it is known then
// and answered; if not, it never will be, and the message is published. It never stores a copy.
import type { ChatMessage, ErrorCode, Result } from '@anime-universe/protocol';
import { ERRORS, ok, replyExcerpt, type ReplyRef } from '@anime-universe/protocol';
import { PublishError, type MessageLog } from '../kafka/message-log.ts';
import type { Logger } from '../log.ts';
import { withTimeout } from '../with-timeout.ts';
import type { Metrics } from './metrics.ts';
import type { RecentSends, SendState, Unknown } from './recent-sends.ts';
import type { FloodGuard } from './flood-guard.ts';
import type { RoomSettings } from './room-settings.ts';
import type { WordFilter } from './word-filter.ts';
import type { RecentSources, Timeouts } from './timeouts.ts';

export interface SendRequest {
  room: string;
  username: string;
  /** Already normalised and validated by the protocol module. */
  text: string;
  clientId?: string;
  /** The client sent this clientId before without a confirmation. */
  retry?: boolean;
  /** The sender's source (a keyed hash of its address), for timeouts. */
  source?: string;
  /** Sent over the chat socket (new arrivals wait); HTTP sends are not held back. */
  viaSocket?: boolean;
  /** Sent by a moderator: exempt from slow mode. */
  moderator?: boolean;
  /** The offset of the room's message this one replies to. */
  replyTo?: number;
}

export interface SendOutcome {
  message: ChatMessage;
  /** True when this clientId had been stored before; nothing new was written. */
  duplicate: boolean;
}

export interface ChatService {
  send(req: SendRequest): Promise<Result<SendOutcome>>;
  /** Every consumed message passes here so retries are recognised across instances. */
  remember(messages: Iterable<ChatMessage>): void;
}

export interface ChatServiceSettings {
  /** How long a retry waits for an earlier send with the same clientId, or for a read barrier. */
  sendTimeoutMs: number;
  /** Kafka acknowledged a message at this partition and offset (for early local delivery). */
  onStored?(partition: number, message: ChatMessage): void;
  /** Names and sources a moderator has timed out. */
  timeouts?: Timeouts;
  /** Where each name posts from, so a timeout of the name can reach its address. */
  sources?: RecentSources;
  /** Flood and spam checks for new messages, and what to do with a sender past its strikes. */
  flood?: FloodGuard;
  onFlood?(req: SendRequest, reason: string): void;
  /** Listed words are masked, or the message refused. */
  words?: { filter: WordFilter; action: 'mask' | 'refuse' };
  /** Slow mode per room. */
  rooms?: RoomSettings;
  /** The room's message at an offset (for the quote of a reply). */
  find?(room: string, offset: number): ChatMessage | undefined;
}

/** "4 min" / "2 h" / "38 s": how long until a timeout ends. */
const wait = (ms: number) => (ms >= 7_200_000 ? `${Math.ceil(ms / 3_600_000)} h` : ms >= 120_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`);

const FAILURES: Record<PublishError['kind'], ErrorCode> = {
  unavailable: 'kafka_unavailable',
  busy: 'server_busy',
  unknown: 'outcome_unknown',
};

const isUnknown = (s: SendState): s is Unknown => (s as Unknown).unknown === true;

export function makeChatService(messageLog: MessageLog, recent: RecentSends, s: ChatServiceSettings, metrics: Metrics, log: Logger): ChatService {
  const failure = (kind: PublishError['kind'], room: string, error?: unknown): Result<SendOutcome> => {
    if (kind !== 'busy') log.warn('send not confirmed', { room, kind, error });
    const code = FAILURES[kind];
    return { ok: false, error: { code, message: ERRORS[code].message } };
  };
  const kindOf = (error: unknown): PublishError['kind'] => (error instanceof PublishError ? error.kind : 'unknown');

  const publishRecord = async (req: SendRequest, replyTo?: ReplyRef): Promise<Result<SendOutcome>> => {
    const record = {
      id: crypto.randomUUID(), room: req.room, username: req.username, text: req.text,
      timestamp: new Date().toISOString(), ...(req.clientId ? { clientId: req.clientId } : {}), ...(replyTo ? { replyTo } : {}),
    };
    const started = performance.now();
    const { answer, outcome } = messageLog.publish(record);
    const { clientId, username } = req;
    if (clientId) {
      const eventual = outcome.then((stored) => ({ ...record, offset: stored.offset }));
      eventual.catch((error: PublishError) => {
        if (recent.get(username, clientId) !== eventual) return; // the consumer already saw it, or a newer attempt
        if (error.kind === 'unknown') recent.set(username, clientId, { unknown: true });
        else recent.delete(username, clientId);
      });
      recent.set(username, clientId, eventual);
    }
    try {
      const stored = await answer;
      metrics.recordProduce(performance.now() - started, true);
      s.rooms?.posted(req.room, req.username);
      const message = { ...record, offset: stored.offset };
      s.onStored?.(stored.partition, message);
      return ok({ message, duplicate: false });
    } catch (error) {
      metrics.recordProduce(performance.now() - started, false);
      return failure(kindOf(error), req.room, error);
    }
  };

  return {
    async send(req) {
      const { username, clientId } = req;
      const left = s.timeouts?.remaining(username, req.source) ?? 0;
      if (left > 0) {
        return { ok: false, error: { code: 'timed_out', message: `A moderator has timed you out: you can post again in ${wait(left)}.`, retryAfterMs: left } };
      }
      if (req.source) s.sources?.see(username, req.source);
      const slow = req.moderator || req.retry ? 0 : (s.rooms?.wait(req.room, username) ?? 0);
      if (slow > 0) return { ok: false, error: { code: 'slow_mode', message: `Slow mode: you can send again in ${wait(slow)}.`, retryAfterMs: slow } };
      if (s.flood && !req.retry && !(clientId && recent.get(username, clientId))) {
        const verdict = s.flood.check({ username, source: req.source, text: req.text, viaSocket: req.viaSocket === true });
        if (!verdict.ok) {
          metrics.recordError(verdict.code);
          if (verdict.escalate) s.onFlood?.(req, verdict.message);
          return { ok: false, error: { code: verdict.code, message: verdict.message, ...(verdict.retryAfterMs ? { retryAfterMs: verdict.retryAfterMs } : {}) } };
        }
      }
      if (s.words) {
        const filtered = s.words.filter.apply(req.text);
        if (filtered.matched && s.words.action === 'refuse') return { ok: false, error: { code: 'text_blocked', message: ERRORS.text_blocked.message } };
        if (filtered.matched) req = { ...req, text: filtered.text };
      }
      let quote: ReplyRef | undefined;
      if (req.replyTo !== undefined) {
        // The quote is taken from the original as this instance holds it (its text as shown).
        const original = s.find?.(req.room, req.replyTo);
        if (!original) return { ok: false, error: { code: 'message_not_found', message: 'The message you reply to is not in this room\'s history.' } };
        if (original.redacted) return { ok: false, error: { code: 'message_removed', message: 'The message you reply to was removed.' } };
        quote = { offset: original.offset, username: original.username, excerpt: replyExcerpt(original.text) };
      }
      const publish = (r: SendRequest) => publishRecord(r, quote);
      if (!clientId) return publish(req);
      let known = recent.get(username, clientId);
      if ((known === undefined && req.retry) || (known !== undefined && isUnknown(known))) {
        try {
          await withTimeout(messageLog.barrier(req.room), s.sendTimeoutMs, 'read barrier');
        } catch (error) {
          return failure('unknown', req.room, error); // cannot tell yet; the client retries later
        }
        known = recent.get(username, clientId); // a concurrent retry may have published meanwhile
        if (known === undefined || isUnknown(known)) return publish(req); // the log up to now does not hold it
      }
      if (known === undefined) return publish(req);
      try {
        return ok({ message: await withTimeout(Promise.resolve(known as ChatMessage | Promise<ChatMessage>), s.sendTimeoutMs, 'earlier attempt'), duplicate: true });
      } catch (error) {
        if (kindOf(error) !== 'unknown') return publish(req); // never stored; try again
        return failure('unknown', req.room, error); // still in flight, or sent without an answer
      }
    },
    remember(messages) {
      for (const m of messages) if (m.clientId) recent.set(m.username, m.clientId, m);
    },
  };
}
