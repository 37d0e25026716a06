// Who may not post until when, folded from the log's timeout records (and loaded from the read
// model at start): by name, and by source (a keyed hash of a client address, so a new name from
// the same address does not escape). The latest record for a name or source wins, so a record
// with an earlier `until` lifts a timeout.
import { createHmac } from 'node:crypto';
import { keepNewest } from './bounded-map.ts';

export interface Timeouts {
  apply(t: { name?: string; source?: string; until: number }): void;
  load(list: ReadonlyArray<{ kind: 'name' | 'source'; key: string; until: number }>): void;
  /** Milliseconds until the name (or the source) may post again; 0 when free. */
  remaining(name: string, source: string | undefined, now?: number): number;
}

const SWEEP_AT = 10_000;

export function makeTimeouts(): Timeouts {
  const names = new Map<string, number>();
  const sources = new Map<string, number>();
  const set = (map: Map<string, number>, key: string, until: number) => {
    map.set(key, until);
    if (map.size > SWEEP_AT) for (const [k, u] of map) if (u <= Date.now()) map.delete(k);
  };
  return {
    apply(t) {
      if (t.name) set(names, t.name, t.until);
      if (t.source) set(sources, t.source, t.until);
    },
    load(list) {
      for (const t of list) set(t.kind === 'name' ? names : sources, t.key, t.until);
    },
    remaining(name, source, now = Date.now()) {
      const until = Math.max(names.get(name) ?? 0, source ? (sources.get(source) ?? 0) : 0);
      return Math.max(0, until - now);
    },
  };
}

/** A client address as the log may name it: 16 hex digits of an HMAC with the server's secret
 * (the same on every instance that shares TOKEN_SECRET; the address itself is never written). */
export function makeSourceHash(secret: string): (address: string) => string {
  return (address) => createHmac('sha256', secret).update(`source:${address}`).digest('hex').slice(0, 16);
}

/** The source each name was last seen from on this instance (connects and sends), for an hour. */
export function makeRecentSources(max = 50_000, ttlMs = 3_600_000) {
  const seen = new Map<string, { source: string; at: number }>();
  return {
    see(name: string, source: string, now = Date.now()) {
      seen.delete(name);
      seen.set(name, { source, at: now });
      keepNewest(seen, max);
    },
    of(name: string, now = Date.now()): string | undefined {
      const s = seen.get(name);
      return s && now - s.at < ttlMs ? s.source : undefined;
    },
  };
}

export type RecentSources = ReturnType<typeof makeRecentSources>;
