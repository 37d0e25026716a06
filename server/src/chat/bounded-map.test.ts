import { describe, expect, it } from 'bun:test';
import { keepNewest } from './bounded-map.ts';

describe('keepNewest', () => {
  it('leaves a map at or under its maximum alone', () => {
    const m = new Map([['a', 1], ['b', 2]]);
    keepNewest(m, 2);
    expect([...m.keys()]).toEqual(['a', 'b']);
  });

  it('drops the oldest tenth at once when the map grows past its maximum, keeping the newest', () => {
    const m = new Map<number, number>();
    for (let i = 0; i < 100; i++) m.set(i, i);
    m.set(100, 100);
    keepNewest(m, 100);
    expect(m.size).toBe(90);
    expect(m.has(10)).toBe(false);
    expect(m.has(11)).toBe(true);
    expect(m.has(100)).toBe(true);
  });

  it('never keeps more than the maximum, even far over it or with a tiny maximum', () => {
    const m = new Map<number, number>();
    for (let i = 0; i < 50; i++) m.set(i, i);
    keepNewest(m, 3);
    expect([...m.keys()]).toEqual([47, 48, 49]);
    keepNewest(m, 1);
    expect([...m.keys()]).toEqual([49]);
  });
});
