import { describe, expect, it } from 'bun:test';
import { makeBucket, makeKeyedLimiter } from './rate-limit.ts';

describe('makeBucket', () => {
  it('allows a burst, then says how long to wait, then refills over time', () => {
    const b = makeBucket(2, 3, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([0, 0, 0]);
    expect(b.take(0)).toBe(500);
    expect(b.take(500)).toBe(0);
  });
});

describe('makeKeyedLimiter', () => {
  it('limits each key on its own', () => {
    const l = makeKeyedLimiter(1, 1);
    expect(l.take('a', 0)).toBe(0);
    expect(l.take('a', 0)).toBeGreaterThan(0);
    expect(l.take('b', 0)).toBe(0);
  });
  it('forgets idle keys so the map stays bounded', () => {
    const l = makeKeyedLimiter(1, 1, 10);
    for (let i = 0; i < 10; i++) l.take(`ip${i}`, 0);
    l.take('late', 5_000);
    expect(l.size()).toBe(1);
  });
});
