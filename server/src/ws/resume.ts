// What a socket gets on open: an exact resume when it asks with an offset of this log's epoch
// and the history holds everything after it, else the recent history and `recovered: false`.
import type { ChatMessage } from '@anime-universe/protocol';
import type { RoomHistory } from '../chat/room-history.ts';

export interface Resume {
  messages: ChatMessage[];
  recovered: boolean;
}

export function resumeFrom(
  history: RoomHistory, room: string, since: number | undefined, clientEpoch: string | undefined, epoch: string,
  limits: { perRoom: number; welcome: number },
): Resume {
  const fresh = () => ({ messages: history.recent(room, limits.welcome), recovered: false });
  if (since === undefined) return fresh();
  // Offsets of another epoch (the topic was recreated) say nothing about this log. A client that
  // names no epoch (older pages) is trusted only up to the newest offset seen in the room.
  if (clientEpoch === undefined ? since > history.latestOffset(room) : clientEpoch !== epoch) return fresh();
  const resume = history.since(room, since, limits.perRoom);
  return resume.complete ? { messages: resume.messages, recovered: true } : { messages: resume.messages, recovered: false };
}
