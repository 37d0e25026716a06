import { describe, expect, it } from 'bun:test';
import { bucketRates, chartPath, niceMax } from './monitor-data.ts';

describe('monitor chart data', () => {
  it('averages five minutes of per-second counts into points', () => {
    const perSecond = new Array(300).fill(0);
    perSecond[299] = 10;
    const points = bucketRates(perSecond, 60);
    expect(points).toHaveLength(60);
    expect(points[59]).toBe(2);
    expect(points.slice(0, 59).every((p) => p === 0)).toBe(true);
  });
  it('draws a path across the full width with the max at the top', () => {
    expect(chartPath([0, 5, 10], 100, 50, 10)).toBe('M0.0,50.0 L50.0,25.0 L100.0,0.0');
  });
  it('rounds the scale up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax([0])).toBe(1);
    expect(niceMax([3])).toBe(5);
    expect(niceMax([12])).toBe(20);
    expect(niceMax([51])).toBe(100);
  });
});
