import { describe, expect, it } from 'bun:test';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('grows exponentially from about 0.5 s and never exceeds the 10 s cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, () => 0.999999);
    expect(top(0)).toBe(499);
    expect(top(1)).toBe(999);
    expect(top(3)).toBe(3999);
    expect(top(10)).toBe(9999);
    expect(top(1000)).toBe(9999);
  });
  it('spreads retries over the whole window (full jitter) with a small floor', () => {
    expect(backoffDelay(5, () => 0)).toBe(100);
    expect(backoffDelay(3, () => 0.5)).toBe(2000);
    expect(backoffDelay(5, () => 0.5)).toBe(5000);
  });
});
