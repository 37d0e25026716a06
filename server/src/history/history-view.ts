// What a welcome reads: the in-memory cache of recent messages per room in front of the read
// model. The cache holds what this process delivered (including messages shown as soon as Kafka
// acknowledged them, before the consumer reads them back); the read model holds the log up to the
// consumer's stored position, back to the earliest retained offset. Together they answer a resume
// from any offset inside retention.
import type { ChatMessage } from '@anime-universe/protocol';
import type { ResumeResult, RoomHistory } from '../chat/room-history.ts';
import type { ReadQueries } from './read-queries.ts';

export type HistoryReader = Pick<RoomHistory, 'recent' | 'since' | 'latestOffset'> & {
  /** Every message of the room after `offset` is still held (here or in the read model). */
  retains(room: string, offset: number): boolean;
  /** The room's message at `offset`, if held. */
  find(room: string, offset: number): ChatMessage | undefined;
  /** Messages at or before `offset` that changed after it (removed, reactions), oldest first, at most `max`. */
  changedSince(room: string, offset: number, max: number): ChatMessage[];
};

export function makeHistoryView(cache: RoomHistory, model: () => ReadQueries | undefined, partitionOf: (room: string) => number): HistoryReader {
  return {
    recent(room, count) {
      const cached = cache.recent(room, count);
      const rm = model();
      if (cached.length >= count || !rm) return cached;
      // The cache starts where this process began reading; older ones come from the read model.
      const older = rm.before(room, partitionOf(room), cached[0]?.offset, count - cached.length).messages;
      return [...older, ...cached];
    },
    since(room, offset, max): ResumeResult {
      const cached = cache.since(room, offset, max);
      const rm = model();
      if (cached.complete || !rm) return cached;
      const partition = partitionOf(room);
      const stored = rm.since(room, partition, offset, max);
      if (!stored.complete) return cached.messages.length > 0 ? cached : { messages: stored.messages.slice(-max), complete: false };
      // After the stored rows: what the cache holds. It holds every message of the room from its
      // floor on, and the read model everything before its position; together, no hole.
      const last = stored.messages.at(-1)?.offset ?? offset;
      const floor = cache.floor(room);
      const tail = cache.since(room, last, max).messages.filter((m) => m.offset > last);
      const messages: ChatMessage[] = [...stored.messages, ...tail];
      const complete = (floor === undefined || floor <= stored.position) && messages.length <= max;
      return { messages: messages.slice(-max), complete };
    },
    changedSince(room, offset, max) {
      // The cache knows the changes this process read, in their current state; the read model
      // also those from before it started (up to its position, about 100 ms behind).
      const byOffset = new Map<number, ChatMessage>();
      for (const m of model()?.changedSince(room, offset, max) ?? []) byOffset.set(m.offset, cache.find(room, m.offset) ?? m);
      for (const m of cache.changedSince(room, offset, max)) byOffset.set(m.offset, m);
      return [...byOffset.values()].sort((a, b) => a.offset - b.offset).slice(-max);
    },
    find: (room, offset) => cache.find(room, offset) ?? model()?.messageAt(room, offset),
    retains(room, offset) {
      const rm = model();
      const floor = rm ? rm.floors().get(partitionOf(room)) : cache.floor(room);
      return floor !== undefined && offset + 1 >= floor;
    },
    latestOffset(room) {
      const cached = cache.latestOffset(room);
      if (cached >= 0) return cached;
      return model()?.before(room, partitionOf(room), undefined, 1).messages[0]?.offset ?? -1;
    },
  };
}
