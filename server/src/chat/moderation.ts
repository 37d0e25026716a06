// Moderation actions, each a record on the log. Removing a message: a moderator may remove any
// message, its author only within the allowed window; a `redaction` record on the room's
// partition, folded by every instance into its cache and read model in log order. Timing out a
// name (directly, or as the author of a message): a `timeout` record with the name and, when
// this instance has seen it, its source; the other instances add the source if they know it.
// Moderators only.
import { ERRORS, type ChatMessage, type ErrorCode, type ModerationAction } from '@anime-universe/protocol';
import { PublishError, type LogEvent, type MessageLog } from '../kafka/message-log.ts';
import type { RecentSources, Timeouts } from './timeouts.ts';
import type { Logger } from '../log.ts';

export type Actor = { kind: 'moderator'; label: string } | { kind: 'author'; username: string };

export interface RemovalRequest {
  room: string;
  offset: number;
  actor: Actor;
  reason?: string;
}

export interface TimeoutRequest {
  /** The name, or the room and offset of one of its messages. */
  name?: string;
  room: string;
  offset?: number;
  minutes: number;
  /** Who acts: `moderator:<label>`, or `auto:flood` for the flood guard. */
  by: string;
  reason?: string;
}

export type TimeoutResult =
  | { ok: true; name: string; until: string; by: string; offset: number }
  | { ok: false; code: ErrorCode; message: string };

export type SettingsResult =
  | { ok: true; room: string; slowModeSeconds: number; by: string; offset: number }
  | { ok: false; code: ErrorCode; message: string };

export type RemovalResult =
  | { ok: true; room: string; target: number; by: string; offset?: number; already?: true }
  | { ok: false; code: ErrorCode; message: string };

export interface ModerationSettings {
  /** The room's message at an offset, from this instance's history. */
  find(room: string, offset: number): ChatMessage | undefined;
  /** The source a name was last seen from here. */
  sourceOf?(name: string): string | undefined;
  authorDeleteWindowMs: number;
  now?: () => number;
}

const FAILURES: Record<PublishError['kind'], ErrorCode> = { unavailable: 'kafka_unavailable', busy: 'server_busy', unknown: 'outcome_unknown' };
const fail = (code: ErrorCode, message: string = ERRORS[code].message): RemovalResult => ({ ok: false, code, message });

export function makeModeration(messages: Pick<MessageLog, 'redact' | 'timeOut' | 'setRoom'>, s: ModerationSettings, log: Logger) {
  const now = s.now ?? Date.now;
  const unconfirmed = (error: unknown, what: Record<string, unknown>): { ok: false; code: ErrorCode; message: string } => {
    const kind = error instanceof PublishError ? error.kind : 'unknown';
    log.warn('moderation action not confirmed', { ...what, kind, error });
    return { ok: false, code: FAILURES[kind], message: ERRORS[FAILURES[kind]].message };
  };
  return {
    async setSlowMode(room: string, slowModeSeconds: number, moderator: string): Promise<SettingsResult> {
      const by = `moderator:${moderator}`;
      try {
        const stored = await messages.setRoom({ id: crypto.randomUUID(), room, slowModeSeconds, by, timestamp: new Date(now()).toISOString() }).answer;
        log.info('room settings changed', { room, slowModeSeconds, by });
        return { ok: true, room, slowModeSeconds, by, offset: stored.offset };
      } catch (error) {
        return unconfirmed(error, { room });
      }
    },
    async timeOut(req: TimeoutRequest): Promise<TimeoutResult> {
      let name = req.name;
      if (req.offset !== undefined) {
        const target = s.find(req.room, req.offset);
        if (!target) return { ok: false, code: 'message_not_found', message: ERRORS.message_not_found.message };
        name = target.username;
      }
      if (!name) return { ok: false, code: 'invalid_request', message: 'Name someone, or a message of theirs.' };
      const source = s.sourceOf?.(name);
      const { by } = req;
      const until = new Date(now() + req.minutes * 60_000).toISOString();
      const record = {
        id: crypto.randomUUID(), room: req.room, name, ...(source ? { source } : {}), until, by,
        timestamp: new Date(now()).toISOString(), ...(req.reason ? { reason: req.reason } : {}),
      };
      try {
        const stored = await messages.timeOut(record).answer;
        log.info(req.minutes > 0 ? 'name timed out' : 'timeout lifted', { name, until, by });
        return { ok: true, name, until, by, offset: stored.offset };
      } catch (error) {
        return unconfirmed(error, { name });
      }
    },
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
        return unconfirmed(error, { room: req.room, target: req.offset });
      }
    },
  };
}

export type Moderation = ReturnType<typeof makeModeration>;

export interface TimeoutFolding {
  timeouts: Timeouts;
  sources: RecentSources;
  messages: Pick<MessageLog, 'timeOut'>;
  /** Reading live (not replaying the log at start): only then are follow-ups written. */
  live(): boolean;
  log: Logger;
}

/** Folds consumed timeout records into `timeouts`. When one names someone this instance saw
 * posting or connecting from another source than the record has, a follow-up record times out
 * that source too, so every instance refuses the address. */
export function foldTimeouts(d: TimeoutFolding) {
  return (events: readonly LogEvent[]) => {
    for (const e of events) {
      if (e.kind !== 'timeout') continue;
      d.timeouts.apply(e);
      if (!e.name || !d.live()) continue;
      const source = d.sources.of(e.name);
      if (!source || source === e.source) continue;
      const record = {
        id: crypto.randomUUID(), room: e.room, source, until: new Date(e.until).toISOString(), by: e.by,
        reason: `the address of ${e.name}`, timestamp: new Date().toISOString(),
      };
      d.messages.timeOut(record).answer.catch((error) => d.log.warn('could not time out the address of a name', { name: e.name, error }));
    }
  };
}

/** The latest moderation records read from the log, newest first, for the monitor (no chatter names). */
export function makeActionFeed(max = 50) {
  const actions: ModerationAction[] = [];
  const describe = (e: Exclude<LogEvent, { kind: 'reaction' | 'passcode' | 'dm' }>): string => {
    if (e.kind === 'redaction') return `message ${e.target}`;
    if (e.kind === 'settings') return e.slowModeSeconds > 0 ? `slow mode ${e.slowModeSeconds} s` : 'slow mode off';
    const who = [e.name ? 'a name' : '', e.source ? 'an address' : ''].filter(Boolean).join(' and ');
    return `${who} until ${new Date(e.until).toISOString()}`;
  };
  return {
    add(events: readonly LogEvent[]) {
      for (const e of events) {
        if (e.kind === 'reaction' || e.kind === 'passcode' || e.kind === 'dm') continue; // not moderation actions (never a hash or a private message)
        actions.unshift({ at: new Date().toISOString(), kind: e.kind, room: e.room, by: e.by, detail: describe(e), offset: e.offset });
      }
      actions.splice(max);
    },
    list: (): ModerationAction[] => [...actions],
  };
}
