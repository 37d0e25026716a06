// Read barriers: a marker record written to a room's partition, and a promise that resolves once
// this instance's consumer has read past it, so everything stored there before (by any instance)
// has reached the listeners. Requests for one room in the same tick share one marker.
import type { Publication, Stored } from './message-log.ts';

export interface ReadBarriers {
  /** Resolves once the consumer has read past a marker written now; rejects when it cannot be written. */
  barrier(room: string): Promise<void>;
  /** The consumer has read `partition` through `through` (call after the listeners). */
  passed(partition: number, through: number): void;
}

/** Callers time out long before this; a barrier still waiting then is dropped. */
const FORGET_AFTER_MS = 120_000;

export function makeReadBarriers(publishMarker: (room: string) => Publication, position: (partition: number) => number): ReadBarriers {
  let waiting: Array<Stored & { at: number; resolve(): void }> = [];
  const pending = new Map<string, Promise<void>>();
  return {
    barrier(room) {
      let marker = pending.get(room);
      if (!marker) {
        marker = new Promise<void>((resolve, reject) => {
          setTimeout(() => {
            pending.delete(room);
            publishMarker(room).answer.then((stored) => {
              if (position(stored.partition) > stored.offset) resolve();
              else waiting.push({ ...stored, at: Date.now(), resolve });
            }, reject);
          }, 0);
        });
        pending.set(room, marker);
      }
      return marker;
    },
    passed(partition, through) {
      if (waiting.length === 0) return;
      const now = Date.now();
      const still: typeof waiting = [];
      for (const b of waiting) {
        if (b.partition === partition && b.offset <= through) b.resolve();
        else if (now - b.at < FORGET_AFTER_MS) still.push(b);
      }
      waiting = still;
    },
  };
}
