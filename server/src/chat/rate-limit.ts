// Token-bucket rate limits: one bucket per connection, and a keyed set of buckets per IP whose
// idle entries are swept so the map cannot grow without bound.

export interface Bucket {
  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(now?: number): number;
}

export function makeBucket(perSecond: number, burst: number, start = Date.now()): Bucket {
  let tokens = burst;
  let last = start;
  return {
    take(now = Date.now()) {
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - tokens) / perSecond) * 1000);
    },
  };
}

export interface KeyedLimiter {
  take(key: string, now?: number): number;
  size(): number;
}

export function makeKeyedLimiter(perSecond: number, burst: number, maxKeys = 100_000): KeyedLimiter {
  const buckets = new Map<string, { bucket: Bucket; seen: number }>();
  // A bucket idle this long is full again, so forgetting it changes nothing.
  const idleMs = (burst / perSecond) * 1000;
  const sweep = (now: number) => {
    for (const [key, entry] of buckets) if (now - entry.seen > idleMs) buckets.delete(key);
  };
  return {
    take(key, now = Date.now()) {
      let entry = buckets.get(key);
      if (!entry) {
        if (buckets.size >= maxKeys) sweep(now);
        entry = { bucket: makeBucket(perSecond, burst, now), seen: now };
        buckets.set(key, entry);
      }
      entry.seen = now;
      return entry.bucket.take(now);
    },
    size: () => buckets.size,
  };
}
