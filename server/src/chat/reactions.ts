// Reacting to a message: checks what this instance knows (the message exists and is not removed,
// the emoji fits the message's limits, the name is not timed out) and writes a `reaction`
// record to the room's partition. Every instance folds it in log order (hub, read model), so
// the counts agree everywhere; adding the same reaction twice (a retry) counts once.
import { ERRORS, reactionRefusal, type ChatMessage, type ErrorCode, type Result } from '@anime-universe/protocol';
import { PublishError, type MessageLog } from '../kafka/message-log.ts';
import type { Logger } from '../log.ts';
import type { Timeouts } from './timeouts.ts';

export interface ReactionRequest {
  room: string;
  username: string;
  source?: string;
  target: number;
  /** Already checked by the protocol module: one emoji. */
  emoji: string;
  on: boolean;
  clientId?: string;
}

export interface ReactionSettings {
  /** The room's message at an offset, from this instance's history. */
  find(room: string, offset: number): ChatMessage | undefined;
  timeouts?: Timeouts;
}

const FAILURES: Record<PublishError['kind'], ErrorCode> = { unavailable: 'kafka_unavailable', busy: 'server_busy', unknown: 'outcome_unknown' };
const refuse = (code: ErrorCode, message: string = ERRORS[code].message): Result<{ offset: number }> => ({ ok: false, error: { code, message } });

export function makeReactions(messages: Pick<MessageLog, 'react'>, s: ReactionSettings, log: Logger) {
  return {
    async react(req: ReactionRequest): Promise<Result<{ offset: number }>> {
      if ((s.timeouts?.remaining(req.username, req.source) ?? 0) > 0) return refuse('timed_out', 'You are timed out; you can read but not react for now.');
      const target = s.find(req.room, req.target);
      if (!target) return refuse('message_not_found');
      if (target.redacted) return refuse('message_removed');
      const already = target.reactions?.[req.emoji]?.includes(req.username) ?? false;
      if (req.on && !already) {
        const refusal = reactionRefusal(target.reactions, req.emoji);
        if (refusal) return refuse('reaction_limit', refusal === 'kinds' ? ERRORS.reaction_limit.message : 'This reaction has as many names as it can take.');
      }
      const { room, target: offset, emoji, username: name, on, clientId } = req;
      try {
        const stored = await messages.react({
          id: crypto.randomUUID(), room, target: offset, emoji, name, on, ...(clientId ? { clientId } : {}), timestamp: new Date().toISOString(),
        }).answer;
        return { ok: true, value: { offset: stored.offset } };
      } catch (error) {
        const kind = error instanceof PublishError ? error.kind : 'unknown';
        if (kind !== 'busy') log.warn('reaction not confirmed', { room, kind, error });
        return refuse(FAILURES[kind]);
      }
    },
  };
}

export type ReactionService = ReturnType<typeof makeReactions>;
