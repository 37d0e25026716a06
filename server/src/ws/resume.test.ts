import { describe, expect, it } from 'bun:test';
import { makeRoomHistory } from '../chat/room-history.ts';
import { resumeFrom } from './resume.ts';

const history = makeRoomHistory(1000, 10);
for (let o = 0; o < 100; o++) history.add({ id: `m${o}`, room: 'lobby', username: 'Aa', text: 'x'.repeat(100), timestamp: 't', offset: o }, 0);
const limits = { resumeMax: 1000, welcome: 50, maxBytes: 1_000_000 };

describe('resumeFrom', () => {
  it('gives exactly the missed messages for a resume inside this epoch', () => {
    const r = resumeFrom(history, 'lobby', 89, 'e1', 'e1', limits);
    expect(r.recovered).toBe(true);
    expect(r.messages.map((m) => m.offset)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  });
  it('starts clean for another epoch, or an offset beyond the room when no epoch is named', () => {
    expect(resumeFrom(history, 'lobby', 10, 'old', 'e1', limits)).toMatchObject({ recovered: false });
    expect(resumeFrom(history, 'lobby', 5000, undefined, 'e1', limits).recovered).toBe(false);
    expect(resumeFrom(history, 'lobby', 10, 'old', 'e1', limits).messages).toHaveLength(50);
  });
  it('caps the welcome by size: the newest messages that fit, and recovered: false', () => {
    const r = resumeFrom(history, 'lobby', 9, 'e1', 'e1', { ...limits, maxBytes: 20 * 1000 });
    expect(r.recovered).toBe(false);
    expect(r.messages.length).toBeGreaterThan(5);
    expect(r.messages.length).toBeLessThan(90);
    expect(r.messages.at(-1)?.offset).toBe(99);
    expect(JSON.stringify(r.messages).length).toBeLessThanOrEqual(20 * 1000);
  });
});
