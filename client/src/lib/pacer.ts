// The server's per-connection token bucket, mirrored in the client so the outbox goes out at the
// pace `welcome.limits` allows instead of being refused. Pure apart from the clock it is given.
import type { Limits } from '@anime-universe/protocol';

export interface Pacer {
  /** A new connection: the server's bucket starts full. */
  reset(limits: Limits): void;
  /** Takes a token if one is there (always true before the first welcome). */
  take(): boolean;
  /** The server said "wait": its bucket is empty. */
  drain(): void;
  /** When the next token will be there (now when one is). */
  nextAt(): number;
}

export function makePacer(now: () => number): Pacer {
  let limits: Limits | undefined;
  let tokens = 0;
  let at = 0;
  const refill = () => {
    if (!limits) return;
    const t = now();
    tokens = Math.min(limits.burst, tokens + ((t - at) / 1000) * limits.messagesPerSecond);
    at = t;
  };
  return {
    reset(next) {
      limits = next;
      tokens = next.burst;
      at = now();
    },
    take() {
      refill();
      if (limits && tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    drain() {
      refill();
      tokens = Math.min(tokens, 0);
    },
    nextAt() {
      refill();
      return limits && tokens < 1 ? now() + ((1 - tokens) / limits.messagesPerSecond) * 1000 : now();
    },
  };
}
