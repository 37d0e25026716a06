// Removing a message: a moderator may remove any message, its author only within the allowed
// window. A removal is a `redaction` record on the room's partition, so every instance folds it
// into its cache and read model, in log order with the message it removes.
import { ERRORS, type ChatMessage, type ErrorCode } from '@anime-universe/protocol';
import { PublishError, type MessageLog } from '../kafka/message-log.ts';
import type { Logger } from '../log.ts';

export type Actor = { kind: 'moderator'; label: string } | { kind: 'author'; username: string };

export interface RemovalRequest {
  room: string;
  offset: number;
  actor: Actor;
  reason?: string;
}

export type RemovalResult =
  | { ok: true; room: string; target: number; by: string; offset?: number; already?: true }
  | { ok: false; code: ErrorCode; message: string };

export interface RemovalSettings {
  /** The room's message at an offset, from this instance's history. */
  find(room: string, offset: number): ChatMessage | undefined;
  authorDeleteWindowMs: number;
  now?: () => number;
}

const FAILURES: Record<PublishError['kind'], ErrorCode> = { unavailable: 'kafka_unavailable', busy: 'server_busy', unknown: 'outcome_unknown' };
const fail = (code: ErrorCode, message: string = ERRORS[code].message): RemovalResult => ({ ok: false, code, message });

export function makeRemovals(messages: Pick<MessageLog, 'redact'>, s: RemovalSettings, log: Logger) {
  const now = s.now ?? Date.now;
  return {
    async remove(req: RemovalRequest): Promise<RemovalResult> {
      const target = s.find(req.room, req.offset);
      if (!target) return fail('message_not_found');
      const by = req.actor.kind === 'moderator' ? `moderator:${req.actor.label}` : 'author';
      if (req.actor.kind === 'author') {
        if (target.username !== req.actor.username) return fail('forbidden', 'Only its author or a moderator may remove this message.');
        if (now() - Date.parse(target.timestamp) > s.authorDeleteWindowMs) {
          return fail('forbidden', `Authors may remove their messages for ${Math.round(s.authorDeleteWindowMs / 60_000)} minutes after sending.`);
        }
      }
      if (target.redacted) return { ok: true, room: req.room, target: req.offset, by, already: true };
      const record = { id: crypto.randomUUID(), room: req.room, target: req.offset, by, timestamp: new Date(now()).toISOString(), ...(req.reason ? { reason: req.reason } : {}) };
      try {
        const stored = await messages.redact(record).answer;
        log.info('message removed', { room: req.room, target: req.offset, by, offset: stored.offset });
        return { ok: true, room: req.room, target: req.offset, by, offset: stored.offset };
      } catch (error) {
        const kind = error instanceof PublishError ? error.kind : 'unknown';
        log.warn('removal not confirmed', { room: req.room, target: req.offset, kind, error });
        return fail(FAILURES[kind]);
      }
    },
  };
}

export type Removals = ReturnType<typeof makeRemovals>;
