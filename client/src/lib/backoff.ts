// Reconnect delays: exponential backoff with full jitter, as a pure function.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  floorMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 10_000, floorMs: 100 };

/** A random delay in [floor, min(cap, base * 2^attempt)); `attempt` counts from 0. */
export function backoffDelay(attempt: number, random: () => number = Math.random, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.min(attempt, 20));
  return Math.max(o.floorMs, Math.floor(random() * ceiling));
}
