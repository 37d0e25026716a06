// One room's conversation as the user sees it: stored messages in Kafka order (deduplicated by
// id), join/leave notices, and a marker where messages may be missing. Pure functions.
import { applyReaction, quoteRemoved, RESUME_WINDOW, type ChatMessage, type PresenceFrame, type ReactionFrame, type WelcomeFrame } from '@anime-universe/protocol';

export type TimelineItem =
  | { kind: 'message'; key: string; message: ChatMessage }
  | { kind: 'notice'; key: string; text: string; timestamp: string }
  | { kind: 'gap'; key: string; timestamp: string };

export interface Timeline {
  items: TimelineItem[];
  ids: Set<string>;
  lastOffset: number;
  /** The log epoch the offsets belong to (from the welcome). */
  epoch?: string;
  /** The oldest message shown is the room's first retained one: nothing older to load. */
  atStart?: boolean;
  /** Set while a resume's backfill pages are still coming: the offset that resume started from. */
  resumeFrom?: number;
}

/** The offset to resume from: the newest message, unless a backfill is unfinished. */
export const resumeOffset = (t: Timeline): number => t.resumeFrom ?? t.lastOffset;

/** Items kept per room (at least a resume's window); scrolling back loads older pages on top of these. */
export const MAX_ITEMS = RESUME_WINDOW;

export function emptyTimeline(): Timeline {
  return { items: [], ids: new Set(), lastOffset: -1 };
}

function trim(t: Timeline): Timeline {
  if (t.items.length <= MAX_ITEMS) return t;
  const dropped = t.items.slice(0, t.items.length - MAX_ITEMS);
  for (const item of dropped) if (item.kind === 'message') t.ids.delete(item.message.id);
  return { ...t, items: t.items.slice(-MAX_ITEMS), atStart: false }; // the oldest are gone again
}

/** The offset of the oldest message shown, if any. */
export function oldestOffset(t: Timeline): number | undefined {
  for (const item of t.items) if (item.kind === 'message') return item.message.offset;
  return undefined;
}

/** A page of older messages (scrolling back), oldest first, put above what is shown. */
export function addOlder(t: Timeline, messages: ChatMessage[], atStart: boolean): Timeline {
  const oldest = oldestOffset(t) ?? Number.MAX_SAFE_INTEGER;
  const fresh = messages.filter((m) => m.offset < oldest && !t.ids.has(m.id));
  const ids = new Set(t.ids);
  for (const m of fresh) ids.add(m.id);
  const items: TimelineItem[] = [...fresh.map((m): TimelineItem => ({ kind: 'message', key: m.id, message: m })), ...t.items];
  return { ...t, items, ids, atStart };
}

/** Adds a stored message once, in offset order. Returns the same timeline when it is known. */
export function addMessage(t: Timeline, message: ChatMessage): Timeline {
  if (t.ids.has(message.id)) return t;
  const item: TimelineItem = { kind: 'message', key: message.id, message };
  const ids = new Set(t.ids).add(message.id);
  if (message.offset > t.lastOffset) return trim({ ...t, items: [...t.items, item], ids, lastOffset: message.offset });
  // Older than the newest we have (history filling in): place it before the first later message.
  const at = t.items.findIndex((i) => i.kind === 'message' && i.message.offset > message.offset);
  const items = [...t.items];
  items.splice(at < 0 ? items.length : at, 0, item);
  return trim({ ...t, items, ids });
}

/** Merges the history of a welcome. When the server could not resume exactly, marks the gap. */
export function addHistory(t: Timeline, history: ChatMessage[], recovered: boolean, resumed: boolean, now: string): Timeline {
  let next = t;
  const firstNew = history.find((m) => !t.ids.has(m.id));
  if (resumed && !recovered && firstNew && t.items.length > 0) {
    next = { ...next, items: [...next.items, { kind: 'gap', key: `gap-${now}-${firstNew.id}`, timestamp: now }] };
  }
  for (const m of history) next = addMessage(next, m);
  return next;
}

/** A removal (redaction): the message keeps its place and loses its text. Same timeline when not shown. */
export function redactMessage(t: Timeline, target: number): Timeline {
  const removed = updateMessage(t, target, (m) => {
    if (m.redacted) return m;
    const { reactions: _gone, ...rest } = m;
    return { ...rest, text: '', redacted: true };
  });
  // Replies to it keep their place and lose the quoted words.
  let changed = false;
  const items = removed.items.map((i) => {
    if (i.kind !== 'message' || i.message.replyTo?.offset !== target) return i;
    const message = quoteRemoved(i.message, target);
    if (message === i.message) return i;
    changed = true;
    return { ...i, message };
  });
  return changed ? { ...removed, items } : removed;
}

/** Replaces the shown message at the same offset with `next(it)`; same timeline when not shown or unchanged. */
function updateMessage(t: Timeline, offset: number, next: (m: ChatMessage) => ChatMessage): Timeline {
  const at = t.items.findIndex((i) => i.kind === 'message' && i.message.offset === offset);
  const item = t.items[at];
  if (!item || item.kind !== 'message') return t;
  const message = next(item.message);
  if (message === item.message) return t;
  const items = [...t.items];
  items[at] = { ...item, message };
  return { ...t, items };
}

/** A reaction frame folded into the message it is about (the same fold as the server's). */
export function reactToMessage(t: Timeline, f: Pick<ReactionFrame, 'target' | 'emoji' | 'name' | 'on'>): Timeline {
  return updateMessage(t, f.target, (m) => {
    if (m.redacted) return m;
    const reactions = applyReaction(m.reactions, f.emoji, f.name, f.on);
    if (reactions === m.reactions) return m;
    const { reactions: _old, ...rest } = m;
    return reactions ? { ...rest, reactions } : rest;
  });
}

/** Messages shown before that changed while away (a resume's `updated`): their current state replaces them. */
export function applyUpdates(t: Timeline, updated: readonly ChatMessage[]): Timeline {
  let next = t;
  for (const m of updated) next = updateMessage(next, m.offset, (old) => (old.id === m.id ? m : old));
  return next;
}

/**
 * A welcome's history merged into what the room showed. Offsets of another epoch (the topic was
 * recreated) belong to another log, and `reset` (too far behind) means the newest messages
 * replace the view: both start clean. Until a backfill's last page is here, a reconnect resumes
 * from where this one did.
 */
export function mergeWelcome(kept: Timeline, frame: WelcomeFrame, now: string): Timeline {
  const sameLog = kept.epoch === undefined || kept.epoch === frame.epoch;
  const before = frame.reset || !sameLog ? emptyTimeline() : kept;
  const merged = addHistory(applyUpdates(before, frame.updated ?? []), frame.history, frame.recovered, before.lastOffset >= 0, now);
  return { ...merged, epoch: frame.epoch, resumeFrom: frame.backfill && sameLog ? resumeOffset(kept) : undefined };
}

/** A backfill page after the welcome: each message to its place by offset; the last page ends the backfill. */
export function addBackfill(t: Timeline, messages: readonly ChatMessage[], remaining: number): Timeline {
  let next = t;
  for (const m of messages) next = addMessage(next, m);
  return remaining === 0 ? { ...next, resumeFrom: undefined } : next;
}

const MAX_NAMED = 3;

function describe(names: string[], verb: string): string {
  if (names.length <= MAX_NAMED) return `${names.join(', ').replace(/, ([^,]*)$/, ' and $1')} ${verb}`;
  return `${names.slice(0, MAX_NAMED).join(', ')} and ${names.length - MAX_NAMED} others ${verb}`;
}

/** One notice per presence frame for who joined and one for who left (never about me). */
export function addPresence(t: Timeline, p: PresenceFrame, me: string | undefined): Timeline {
  const items: TimelineItem[] = [];
  const joined = p.joined.filter((n) => n !== me);
  const left = p.left.filter((n) => n !== me);
  if (joined.length > 0) items.push({ kind: 'notice', key: `join-${p.timestamp}-${joined[0]}`, text: describe(joined, 'joined'), timestamp: p.timestamp });
  if (left.length > 0) items.push({ kind: 'notice', key: `leave-${p.timestamp}-${left[0]}`, text: describe(left, 'left'), timestamp: p.timestamp });
  return items.length === 0 ? t : trim({ ...t, items: [...t.items, ...items] });
}

/** A line in the conversation that is not a message ("X is now Y"). */
export function addNotice(t: Timeline, text: string, timestamp: string): Timeline {
  return trim({ ...t, items: [...t.items, { kind: 'notice', key: `notice-${timestamp}-${t.items.length}`, text, timestamp }] });
}
