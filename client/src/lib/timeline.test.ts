import { describe, expect, it } from 'bun:test';
import { addHistory, addMessage, addPresence, applyUpdates, emptyTimeline, MAX_ITEMS, reactToMessage, redactMessage } from './timeline.ts';

const m = (offset: number, id = `m${offset}`) => ({ id, room: 'lobby', username: 'U1', text: `t${offset}`, timestamp: 'x', offset });
const texts = (t: ReturnType<typeof emptyTimeline>) => t.items.map((i) => (i.kind === 'message' ? i.message.text : i.kind));

describe('timeline', () => {
  it('keeps stored messages once each, in offset order, whatever order they arrive in', () => {
    let t = emptyTimeline();
    for (const o of [1, 3, 3, 2, 1]) t = addMessage(t, m(o));
    expect(texts(t)).toEqual(['t1', 't2', 't3']);
    expect(t.lastOffset).toBe(3);
  });
  it('merges resume history without repeating what it has', () => {
    let t = addMessage(emptyTimeline(), m(1));
    t = addHistory(t, [m(1), m(2), m(3)], true, true, 'now');
    expect(texts(t)).toEqual(['t1', 't2', 't3']);
  });
  it('marks a gap when the server could not resume exactly', () => {
    let t = addMessage(emptyTimeline(), m(1));
    t = addHistory(t, [m(40), m(41)], false, true, 'now');
    expect(texts(t)).toEqual(['t1', 'gap', 't40', 't41']);
  });
  it('shows join and leave notices of others, not of me', () => {
    let t = emptyTimeline();
    t = addPresence(t, { type: 'presence', joined: ['Other'], left: [], room: 'lobby', online: 2, timestamp: 'a' }, 'Me');
    t = addPresence(t, { type: 'presence', joined: ['Me'], left: [], room: 'lobby', online: 2, timestamp: 'b' }, 'Me');
    expect(t.items.map((i) => (i.kind === 'notice' ? i.text : i.kind))).toEqual(['Other joined']);
  });
  it('sums up a coalesced presence frame in one notice per direction', () => {
    const t = addPresence(emptyTimeline(), {
      type: 'presence', joined: ['A', 'B', 'C', 'D', 'E'], left: ['F', 'G'], room: 'lobby', online: 9, timestamp: 'a',
    }, 'Me');
    expect(t.items.map((i) => (i.kind === 'notice' ? i.text : i.kind))).toEqual(['A, B, C and 2 others joined', 'F and G left']);
  });
  it('keeps a bounded number of items', () => {
    let t = emptyTimeline();
    for (let o = 0; o < MAX_ITEMS + 50; o++) t = addMessage(t, m(o));
    expect(t.items).toHaveLength(MAX_ITEMS);
    expect(t.ids.size).toBe(MAX_ITEMS);
  });
});

describe('scrolling back', () => {
  const msg = (offset: number) => ({ id: `m${offset}`, room: 'lobby', username: 'Other', text: `t${offset}`, timestamp: '2026-01-01T00:00:00.000Z', offset });
  it('puts an older page above what is shown, once, and remembers the beginning of the room', async () => {
    const { addOlder, oldestOffset } = await import('./timeline.ts');
    let t = addHistory(emptyTimeline(), [msg(50), msg(51)], false, false, 'now');
    t = addOlder(t, [msg(48), msg(49), msg(50)], false); // overlaps the shown ones
    expect(t.items.map((i) => i.kind === 'message' && i.message.offset)).toEqual([48, 49, 50, 51]);
    expect(oldestOffset(t)).toBe(48);
    expect(t.atStart).toBe(false);
    t = addOlder(t, [msg(47)], true);
    expect(t.items.map((i) => i.kind === 'message' && i.message.offset)).toEqual([47, 48, 49, 50, 51]);
    expect(t.atStart).toBe(true);
    t = addMessage(t, msg(52)); // live messages keep coming below
    expect(t.lastOffset).toBe(52);
    expect(t.atStart).toBe(true);
  });
});

describe('reactions and changes in the timeline', () => {
  it('folds reaction frames into the shown message, once per name, and not into a removed one', () => {
    let t = emptyTimeline();
    for (const o of [1, 2]) t = addMessage(t, m(o));
    const on = { target: 1, emoji: '🔥', name: 'Aki', on: true };
    t = reactToMessage(t, on);
    const same = reactToMessage(t, on); // a repeat changes nothing (same timeline object)
    expect(same).toBe(t);
    t = reactToMessage(t, { ...on, name: 'Rin' });
    const first = t.items[0];
    expect(first?.kind === 'message' ? first.message.reactions : null).toEqual({ '🔥': ['Aki', 'Rin'] });
    t = redactMessage(t, 1);
    expect(t.items[0]?.kind === 'message' ? [t.items[0].message.redacted, t.items[0].message.reactions] : null).toEqual([true, undefined]);
    expect(reactToMessage(t, on)).toBe(t);
    expect(reactToMessage(t, { ...on, target: 99 })).toBe(t); // not shown
  });

  it('blanks the quote of replies to a removed message', () => {
    let t = emptyTimeline();
    t = addMessage(t, m(1));
    t = addMessage(t, { ...m(2), replyTo: { offset: 1, username: 'U1', excerpt: 't1' } });
    t = redactMessage(t, 1);
    const reply = t.items[1];
    expect(reply?.kind === 'message' ? reply.message.replyTo : null).toEqual({ offset: 1, username: 'U1', excerpt: '', removed: true });
  });

  it('replaces messages a resume says changed while away, and only those shown', () => {
    let t = emptyTimeline();
    for (const o of [1, 2, 3]) t = addMessage(t, m(o));
    t = applyUpdates(t, [{ ...m(2), reactions: { '🌸': ['Aki'] } }, { ...m(1), text: '', redacted: true }, m(0)]);
    expect(t.items.map((i) => (i.kind === 'message' ? [i.message.offset, i.message.redacted ?? false, i.message.reactions ?? null] : null)))
      .toEqual([[1, true, null], [2, false, { '🌸': ['Aki'] }], [3, false, null]]);
  });
});
