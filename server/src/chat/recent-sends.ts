// Remembers recent (username, clientId) sends so a retried message is stored at most once.
// An entry is the stored message, the outcome of a send still in flight, or a mark that a send
// ended without an answer (it may be stored). Bounded by count and age; fed both by this
// instance's sends and by every consumed record, so a retry on another instance is recognised.
import type { ChatMessage } from '@anime-universe/protocol';
import { keepNewest } from './bounded-map.ts';

/** A send whose outcome Kafka never told us: a retry must first read the log up to now. */
export interface Unknown {
  unknown: true;
}

export type SendState = ChatMessage | Promise<ChatMessage> | Unknown;

type Entry = { value: SendState; at: number };

export interface RecentSends {
  get(username: string, clientId: string): SendState | undefined;
  set(username: string, clientId: string, value: SendState): void;
  delete(username: string, clientId: string): void;
  size(): number;
}

export function makeRecentSends(maxEntries = 50_000, maxAgeMs = 30 * 60_000, now = () => Date.now()): RecentSends {
  const entries = new Map<string, Entry>();
  const key = (u: string, c: string) => `${u}\u0000${c}`;
  return {
    get(u, c) {
      const k = key(u, c);
      const entry = entries.get(k);
      if (!entry) return undefined;
      if (now() - entry.at > maxAgeMs) {
        entries.delete(k);
        return undefined;
      }
      return entry.value;
    },
    set(u, c, value) {
      const k = key(u, c);
      entries.delete(k); // re-insert so Map order stays oldest-first
      entries.set(k, { value, at: now() });
      keepNewest(entries, maxEntries);
    },
    delete: (u, c) => void entries.delete(key(u, c)),
    size: () => entries.size,
  };
}
