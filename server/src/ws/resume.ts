// What a socket gets on open: an exact resume when it asks with an offset of this log's epoch
// and the history holds everything after it, else the recent history and `recovered: false`.
// The welcome is one frame and the runtime closes a socket with more than the backpressure
// limit buffered, so its history is capped by size: a client further behind gets the newest
// messages that fit and `recovered: false` (it shows a gap) instead of a close it would repeat.
import type { ChatMessage } from '@anime-universe/protocol';
import type { HistoryReader } from '../history/history-view.ts';

export interface Resume {
  messages: ChatMessage[];
  recovered: boolean;
}

export interface ResumeLimits {
  /** At most this many missed messages in one welcome (the byte cap below usually binds first). */
  resumeMax: number;
  welcome: number;
  /** Upper bound of the history's encoded size in the welcome. */
  maxBytes: number;
}

/** A safe upper bound of a message's JSON size (each UTF-16 unit encodes to at most 6 bytes escaped). */
const sizeOf = (m: ChatMessage) => 200 + 6 * (m.text.length + m.username.length + m.room.length) + (m.clientId?.length ?? 0);

function newestThatFit(messages: ChatMessage[], maxBytes: number): ChatMessage[] {
  let bytes = 0;
  let from = messages.length;
  while (from > 0 && bytes + sizeOf(messages[from - 1] as ChatMessage) <= maxBytes) bytes += sizeOf(messages[--from] as ChatMessage);
  return from === 0 ? messages : messages.slice(from);
}

export function resumeFrom(
  history: HistoryReader, room: string, since: number | undefined, clientEpoch: string | undefined, epoch: string, limits: ResumeLimits,
): Resume {
  const fresh = () => ({ messages: newestThatFit(history.recent(room, limits.welcome), limits.maxBytes), recovered: false });
  if (since === undefined) return fresh();
  // Offsets of another epoch (the topic was recreated) say nothing about this log. A client that
  // names no epoch (older pages) is trusted only up to the newest offset seen in the room.
  if (clientEpoch === undefined ? since > history.latestOffset(room) : clientEpoch !== epoch) return fresh();
  const resume = history.since(room, since, limits.resumeMax);
  const messages = newestThatFit(resume.messages, limits.maxBytes);
  return { messages, recovered: resume.complete && messages.length === resume.messages.length };
}
