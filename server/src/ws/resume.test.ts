import { describe, expect, it } from 'bun:test';
import type { ChatMessage } from '@anime-universe/protocol';
import { makeRoomHistory } from '../chat/room-history.ts';
import { makeHistoryView } from '../history/history-view.ts';
import { pagesOf, resumeFrom, sizeOf } from './resume.ts';

const msg = (o: number): ChatMessage => ({ id: `m${o}`, room: 'lobby', username: 'Aa', text: 'x'.repeat(100), timestamp: 't', offset: o });
const cache = makeRoomHistory(1000, 10);
for (let o = 0; o < 100; o++) cache.add(msg(o), 0);
const history = makeHistoryView(cache, () => undefined, () => 0);
const limits = { welcome: 50, maxBytes: 1_000_000 };
const offsets = (ms: ChatMessage[]) => ms.map((m) => m.offset);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('resumeFrom', () => {
  it('gives exactly the missed messages for a resume inside this epoch', () => {
    const r = resumeFrom(history, 'lobby', 89, 'e1', 'e1', limits);
    expect(r).toMatchObject({ recovered: true, reset: false, backfill: [] });
    expect(offsets(r.messages)).toEqual(range(90, 99));
  });

  it('also gives the earlier messages that changed while the client was away (a reaction, a removal), in their current state', () => {
    const own = makeRoomHistory(1000, 10);
    for (let o = 0; o < 10; o++) own.add(msg(o), 0);
    own.react('lobby', 3, '🔥', 'Aki', true, 10);
    own.redact('lobby', 5, 11);
    own.add(msg(12), 0);
    const view = makeHistoryView(own, () => undefined, () => 0);
    const r = resumeFrom(view, 'lobby', 9, 'e1', 'e1', limits);
    expect(offsets(r.messages)).toEqual([12]);
    expect(r.updated.map((m) => [m.offset, m.reactions ?? null, m.redacted ?? false])).toEqual([[3, { '🔥': ['Aki'] }, false], [5, null, true]]);
    expect(resumeFrom(view, 'lobby', 11, 'e1', 'e1', limits).updated).toEqual([]);
    expect(resumeFrom(view, 'lobby', 9, 'old', 'e1', limits).updated).toEqual([]); // a fresh start shows current state anyway
  });

  it('starts clean for another epoch, or an offset beyond the room when no epoch is named', () => {
    expect(resumeFrom(history, 'lobby', 10, 'old', 'e1', limits)).toMatchObject({ recovered: false });
    expect(resumeFrom(history, 'lobby', 5000, undefined, 'e1', limits).recovered).toBe(false);
    expect(resumeFrom(history, 'lobby', 10, 'old', 'e1', limits).messages).toHaveLength(50);
  });

  it('puts the newest missed messages that fit in the welcome and the older ones in the backfill, still recovered', () => {
    const r = resumeFrom(history, 'lobby', 9, 'e1', 'e1', { ...limits, maxBytes: 20 * 1000 });
    expect(r.recovered).toBe(true);
    expect(r.messages.length).toBeGreaterThan(5);
    expect(r.messages.length).toBeLessThan(90);
    expect(r.messages.at(-1)?.offset).toBe(99);
    expect(JSON.stringify(r.messages).length).toBeLessThanOrEqual(20 * 1000);
    expect(offsets([...r.backfill, ...r.messages])).toEqual(range(10, 99)); // every missed message once, in order
  });

  it('sends the newest window with reset when more than the window was missed', () => {
    const r = resumeFrom(history, 'lobby', 9, 'e1', 'e1', { ...limits, window: 30 });
    expect(r).toMatchObject({ recovered: true, reset: true });
    expect(offsets([...r.backfill, ...r.messages])).toEqual(range(70, 99));
  });

  it('is not recovered when the history no longer holds what came after the offset', () => {
    const small = makeRoomHistory(20, 10); // holds only the newest 20: the floor rises to 80
    for (let o = 0; o < 100; o++) small.add(msg(o), 0);
    const r = resumeFrom(makeHistoryView(small, () => undefined, () => 0), 'lobby', 9, 'e1', 'e1', limits);
    expect(r).toMatchObject({ recovered: false, reset: false, backfill: [] });
  });
});

describe('pagesOf', () => {
  it('cuts messages into pages under the byte cap, newest page first, covering each message once', () => {
    const all = range(0, 99).map(msg);
    const pages = pagesOf(all, 10 * sizeOf(msg(0)) + 5);
    expect(pages).toHaveLength(10);
    expect(offsets(pages[0] ?? [])).toEqual(range(90, 99));
    expect(offsets(pages.toReversed().flat())).toEqual(range(0, 99));
  });

  it('still moves on when one message is larger than a page', () => {
    expect(pagesOf([msg(0), msg(1)], 10).map(offsets)).toEqual([[1], [0]]);
  });
});
