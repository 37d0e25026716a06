import { describe, expect, it } from 'bun:test';
import { checkView, type Seen } from './history-check.ts';

const w = (recovered: boolean): Seen => ({ kind: 'welcome', recovered });
const m = (...offsets: number[]): Seen[] => offsets.map((offset) => ({ kind: 'message', offset }));
const stored = [3, 4, 5, 7, 8, 9, 10];

describe('the history checker', () => {
  it('passes a view with every stored message once and in order, from the first one seen', () => {
    expect(checkView([w(false), ...m(4, 5), w(true), ...m(7, 8, 9, 10)], stored)).toEqual({
      shownTwice: 0, reordered: 0, silentGaps: 0, toldGaps: 0, phantoms: 0,
    });
  });

  it('counts a message that arrives twice, for example in a resume and again live', () => {
    const r = checkView([w(false), ...m(3, 4, 5), w(true), ...m(5, 7, 8, 9, 10)], stored);
    expect(r.shownTwice).toBe(1);
    expect(r.first).toContain('offset 5 arrived twice');
  });

  it('counts a message that arrives after a later one', () => {
    const r = checkView([w(false), ...m(3, 5, 4, 7, 8, 9, 10)], stored);
    expect(r.reordered).toBe(1);
  });

  it('calls a skipped message silent unless a welcome in between said recovered: false', () => {
    expect(checkView([w(false), ...m(3, 4), w(true), ...m(8, 9, 10)], stored)).toMatchObject({ silentGaps: 2, toldGaps: 0 });
    expect(checkView([w(false), ...m(3, 4), w(false), ...m(8, 9, 10)], stored)).toMatchObject({ silentGaps: 0, toldGaps: 2 });
    // The warning covers only the jump right after that welcome, not a later one.
    expect(checkView([w(false), ...m(3), w(false), ...m(5, 9, 10)], stored)).toMatchObject({ silentGaps: 2, toldGaps: 1 });
  });

  it('counts stored messages after the newest one seen as missing', () => {
    expect(checkView([w(false), ...m(3, 4, 5, 7)], stored).silentGaps).toBe(3);
  });

  it('counts a message that is not in the log', () => {
    expect(checkView([w(false), ...m(3, 4, 5, 6, 7, 8, 9, 10)], stored).phantoms).toBe(1);
  });
});
