// The server's own counters for /metrics and the monitor: messages produced and consumed,
// produce latency (histogram and recent percentiles), messages per second over the last
// minutes, WebSocket errors by code, rate-limit rejections and event-loop delay. Bounded memory
// throughout.

export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const RATE_WINDOW_S = 300;
const RECENT_SAMPLES = 1000;
const LOOP_SAMPLES = 3000; // a minute at one sample every 20 ms

export interface Metrics {
  recordProduce(ms: number, ok: boolean): void;
  recordConsumed(count?: number, now?: number): void;
  recordError(code: string): void;
  recordRateLimited(transport: 'ws' | 'http'): void;
  /** How late a timer fired: the event loop was busy this long. */
  recordLoopDelay(ms: number): void;
  snapshot(now?: number): MetricsSnapshot;
}

export interface MetricsSnapshot {
  produced: number;
  produceFailures: number;
  consumed: number;
  latency: { buckets: Array<{ le: number; count: number }>; count: number; sumMs: number; p50: number; p95: number; p99: number };
  /** Messages consumed in each of the last RATE_WINDOW_S seconds, oldest first. */
  perSecond: number[];
  errors: Record<string, number>;
  rateLimited: Record<'ws' | 'http', number>;
  /** Event-loop delay over the last minute or so, in ms. */
  loopDelay: { p50: number; p99: number; max: number };
}

export function makeMetrics(clock: () => number = Date.now): Metrics {
  let produced = 0;
  let produceFailures = 0;
  let consumed = 0;
  const bucketCounts = LATENCY_BUCKETS_MS.map(() => 0);
  let latencyCount = 0;
  let latencySum = 0;
  const recent: number[] = [];
  let recentNext = 0;
  const seconds = new Array<number>(RATE_WINDOW_S).fill(0);
  let lastSecond = Math.floor(clock() / 1000);
  const errors: Record<string, number> = {};
  const rateLimited = { ws: 0, http: 0 };
  const loop = new Float64Array(LOOP_SAMPLES);
  let loopCount = 0;

  // Zero the slots of seconds that passed without traffic.
  const advance = (now: number) => {
    const second = Math.floor(now / 1000);
    for (let s = lastSecond + 1; s <= second && s - lastSecond <= RATE_WINDOW_S; s++) seconds[s % RATE_WINDOW_S] = 0;
    if (second > lastSecond) lastSecond = second;
  };
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

  return {
    recordProduce(ms, ok) {
      if (!ok) {
        produceFailures++;
        return;
      }
      produced++;
      latencyCount++;
      latencySum += ms;
      LATENCY_BUCKETS_MS.forEach((le, i) => {
        if (ms <= le) bucketCounts[i] = (bucketCounts[i] ?? 0) + 1;
      });
      if (recent.length < RECENT_SAMPLES) recent.push(ms);
      else recent[recentNext] = ms;
      recentNext = (recentNext + 1) % RECENT_SAMPLES;
    },
    recordConsumed(count = 1, now = clock()) {
      consumed += count;
      advance(now);
      const slot = Math.floor(now / 1000) % RATE_WINDOW_S;
      seconds[slot] = (seconds[slot] ?? 0) + count;
    },
    recordError(code) {
      errors[code] = (errors[code] ?? 0) + 1;
    },
    recordRateLimited(transport) {
      rateLimited[transport]++;
    },
    recordLoopDelay(ms) {
      loop[loopCount++ % LOOP_SAMPLES] = ms;
    },
    snapshot(now = clock()) {
      advance(now);
      const current = Math.floor(now / 1000);
      const perSecond: number[] = [];
      for (let s = current - RATE_WINDOW_S + 1; s <= current; s++) perSecond.push(seconds[((s % RATE_WINDOW_S) + RATE_WINDOW_S) % RATE_WINDOW_S] ?? 0);
      const sorted = [...recent].sort((a, b) => a - b);
      const delays = Array.from(loop.subarray(0, Math.min(loopCount, LOOP_SAMPLES))).sort((a, b) => a - b);
      return {
        produced, produceFailures, consumed,
        latency: {
          buckets: LATENCY_BUCKETS_MS.map((le, i) => ({ le, count: bucketCounts[i] ?? 0 })),
          count: latencyCount, sumMs: latencySum,
          p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99),
        },
        perSecond, errors: { ...errors }, rateLimited: { ...rateLimited },
        loopDelay: { p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), max: delays[delays.length - 1] ?? 0 },
      };
    },
  };
}
