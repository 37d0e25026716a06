// What a socket gets on open. A client that resumes (an offset of this log's epoch) gets exactly
// what it missed when the history holds it: up to RESUME_WINDOW messages; further behind, the
// newest RESUME_WINDOW with `reset` (they replace what it shows; older ones are a scroll away).
// An offset the history no longer holds, another epoch, or no offset: the recent history and
// `recovered: false`. The runtime closes a socket with more than the backpressure limit
// buffered, so the welcome carries the newest missed messages that fit its byte cap and the
// rest follow as `history` pages (see backfill.ts).
import { RESUME_WINDOW, type ChatMessage } from '@anime-universe/protocol';
import type { HistoryReader } from '../history/history-view.ts';

export interface Resume {
  /** For the welcome, oldest first. */
  messages: ChatMessage[];
  /** Missed messages older than `messages`, oldest first, to send after the welcome. */
  backfill: ChatMessage[];
  /** Messages at or before the resume offset that changed while the client was away. */
  updated: ChatMessage[];
  recovered: boolean;
  reset: boolean;
}

export interface ResumeLimits {
  welcome: number;
  /** Upper bound of the history's encoded size in the welcome. */
  maxBytes: number;
  /** The most missed messages sent (RESUME_WINDOW unless a test says otherwise). */
  window?: number;
}

/** The most changed earlier messages a resume sends (removals and reactions while away). */
export const MAX_UPDATED = 100;

/** A safe upper bound of a message's JSON size (each UTF-16 unit encodes to at most 6 bytes escaped). */
export const sizeOf = (m: ChatMessage) => 200 + 6 * (m.text.length + m.username.length + m.room.length) + (m.clientId?.length ?? 0) + reactionsSize(m)
  + (m.replyTo ? 100 + 6 * m.replyTo.excerpt.length : 0);

/** An upper bound of the reactions' JSON size: each name (at most 32 ASCII characters) with quotes and comma, each emoji escaped. */
function reactionsSize(m: ChatMessage): number {
  if (!m.reactions) return 0;
  let n = 0;
  for (const [emoji, names] of Object.entries(m.reactions)) n += 6 * emoji.length + 8 + names.length * 35;
  return n;
}

/** How many of the newest messages fit in maxBytes (at least one, so a page always moves on). */
function newestFitting(messages: readonly ChatMessage[], maxBytes: number): number {
  let bytes = 0;
  let n = 0;
  while (n < messages.length && bytes + sizeOf(messages[messages.length - 1 - n] as ChatMessage) <= maxBytes) bytes += sizeOf(messages[messages.length - 1 - n++] as ChatMessage);
  return n;
}

/** Oldest-first messages cut into pages of at most maxBytes each, newest page first. */
export function pagesOf(messages: readonly ChatMessage[], maxBytes: number): ChatMessage[][] {
  const pages: ChatMessage[][] = [];
  let end = messages.length;
  while (end > 0) {
    const n = Math.max(1, newestFitting(messages.slice(0, end), maxBytes));
    pages.push(messages.slice(end - n, end));
    end -= n;
  }
  return pages;
}

export function resumeFrom(
  history: HistoryReader, room: string, since: number | undefined, clientEpoch: string | undefined, epoch: string, limits: ResumeLimits,
): Resume {
  const window = limits.window ?? RESUME_WINDOW;
  const split = (all: ChatMessage[], recovered: boolean, reset: boolean, updated: ChatMessage[] = []): Resume => {
    // The updated messages ride in the welcome too: they take their share of its byte cap.
    const n = newestFitting(all, Math.max(limits.maxBytes / 2, limits.maxBytes - updated.reduce((b, m) => b + sizeOf(m), 0)));
    return { messages: all.slice(all.length - n), backfill: all.slice(0, all.length - n), recovered, reset, updated };
  };
  const fresh = () => split(history.recent(room, limits.welcome), false, false);
  if (since === undefined) return fresh();
  // Offsets of another epoch (the topic was recreated) say nothing about this log. A client that
  // names no epoch (older pages) is trusted only up to the newest offset seen in the room.
  if (clientEpoch === undefined ? since > history.latestOffset(room) : clientEpoch !== epoch) return fresh();
  const missed = history.since(room, since, window);
  if (missed.complete) return split(missed.messages, true, false, history.changedSince(room, since, MAX_UPDATED));
  // More missed than the window, all still retained: the newest window replaces the client's view.
  if (history.retains(room, since)) return split(history.recent(room, window), true, true);
  return fresh();
}
