import { describe, expect, it } from 'bun:test';
import { sampleLoopDelay } from './loop-delay.ts';
import { makeMetrics } from './metrics.ts';

describe('makeMetrics', () => {
  it('counts produced messages into cumulative latency buckets and percentiles', () => {
    const m = makeMetrics(() => 0);
    for (const ms of [1, 3, 3, 40, 400]) m.recordProduce(ms, true);
    m.recordProduce(5, false);
    const s = m.snapshot(0);
    expect(s.produced).toBe(5);
    expect(s.produceFailures).toBe(1);
    expect(s.latency.count).toBe(5);
    expect(s.latency.sumMs).toBe(447);
    expect(s.latency.buckets.find((b) => b.le === 5)?.count).toBe(3);
    expect(s.latency.buckets.find((b) => b.le === 5000)?.count).toBe(5);
    expect(s.latency.p50).toBe(3);
    expect(s.latency.p99).toBe(400);
  });
  it('keeps messages per second for the last five minutes, forgetting older ones', () => {
    let now = 1_000_000;
    const m = makeMetrics(() => now);
    m.recordConsumed(1, now);
    m.recordConsumed(1, now);
    now += 1000;
    m.recordConsumed(1, now);
    let s = m.snapshot(now);
    expect(s.perSecond).toHaveLength(300);
    expect(s.perSecond.slice(-2)).toEqual([2, 1]);
    now += 301_000;
    s = m.snapshot(now);
    expect(s.perSecond.reduce((a, b) => a + b, 0)).toBe(0);
    expect(s.consumed).toBe(3);
  });
  it('counts errors by code and rate limits by transport', () => {
    const m = makeMetrics();
    m.recordError('invalid_json');
    m.recordError('invalid_json');
    m.recordRateLimited('http');
    expect(m.snapshot().errors).toEqual({ invalid_json: 2 });
    expect(m.snapshot().rateLimited).toEqual({ ws: 0, http: 1 });
  });
  it('reports event-loop delay from the recent samples: median, p99 and the worst', () => {
    const m = makeMetrics(() => 0);
    for (let i = 0; i < 99; i++) m.recordLoopDelay(1);
    m.recordLoopDelay(250);
    expect(m.snapshot(0).loopDelay).toEqual({ p50: 1, p99: 250, max: 250 });
    for (let i = 0; i < 3000; i++) m.recordLoopDelay(2); // the old samples age out
    expect(m.snapshot(0).loopDelay).toEqual({ p50: 2, p99: 2, max: 2 });
  });
  it('measures a blocked event loop as delay', async () => {
    const samples: number[] = [];
    const stop = sampleLoopDelay((ms) => samples.push(ms), 10);
    await Bun.sleep(50);
    const until = performance.now() + 200;
    while (performance.now() < until) {
      // a synchronous task holding the loop
    }
    await Bun.sleep(50);
    stop();
    expect(Math.max(...samples)).toBeGreaterThanOrEqual(150);
  });
});
