import { describe, expect, it } from 'bun:test';
import { makeRoomHistory } from './room-history.ts';

const m = (room: string, offset: number) => ({ id: `${room}-${offset}`, room, username: 'U1', text: 't', timestamp: 'x', offset });

describe('makeRoomHistory', () => {
  it('keeps the newest messages of each room in order', () => {
    const h = makeRoomHistory(3, 10);
    for (const o of [1, 2, 3, 4]) h.add(m('lobby', o), 0);
    h.add(m('other', 5), 0);
    expect(h.recent('lobby', 10).map((x) => x.offset)).toEqual([2, 3, 4]);
    expect(h.recent('lobby', 2).map((x) => x.offset)).toEqual([3, 4]);
    expect(h.latestOffset('other')).toBe(5);
    expect(h.latestOffset('empty')).toBe(-1);
  });
  it('resumes exactly after an offset it still holds', () => {
    const h = makeRoomHistory(10, 10);
    for (const o of [3, 7, 9]) h.add(m('lobby', o), 0);
    expect(h.since('lobby', 3, 50)).toEqual({ messages: [m('lobby', 7), m('lobby', 9)], complete: true });
    expect(h.since('lobby', 9, 50)).toEqual({ messages: [], complete: true });
  });
  it('says a resume is incomplete when messages after the offset were dropped or never read', () => {
    const h = makeRoomHistory(2, 10);
    for (const o of [1, 2, 3]) h.add(m('lobby', o), 0);
    expect(h.since('lobby', 0, 50).complete).toBe(false);
    expect(h.since('lobby', 1, 50).complete).toBe(true);
    const late = makeRoomHistory(10, 10);
    late.add(m('lobby', 100), 90); // this instance started reading the partition at 90
    expect(late.since('lobby', 50, 50).complete).toBe(false);
    expect(late.since('lobby', 89, 50).complete).toBe(true);
    expect(late.since('unknown-room', 5, 50).complete).toBe(false);
  });
  it('keeps at most maxRooms rooms, dropping the least recently used', () => {
    const h = makeRoomHistory(5, 2);
    h.add(m('a', 1), 0);
    h.add(m('b', 2), 0);
    h.add(m('a', 3), 0);
    h.add(m('c', 4), 0);
    expect(h.roomCount()).toBe(2);
    expect(h.recent('b', 5)).toEqual([]);
    expect(h.recent('a', 5)).toHaveLength(2);
  });
  it('does not claim to hold a room from the start once rooms have been dropped to stay within the limit', () => {
    const h = makeRoomHistory(10, 2);
    h.add(m('a', 5), 0);
    h.add(m('b', 6), 0);
    expect(h.floor('a')).toBe(0); // every message of the partition since this process began
    h.add(m('c', 7), 0); // drops "a"
    h.add(m('a', 8), 0); // "a" again: its message at 5 is gone
    expect(h.floor('a')).toBe(8);
    expect(h.since('a', 4, 50).complete).toBe(false);
    expect(h.floor('unknown')).toBeUndefined();
  });
});

describe('removing a message from the room history', () => {
  it('blanks the message in place, keeping its offset and author, and ignores offsets it does not hold', () => {
    const h = makeRoomHistory(10, 10);
    for (let o = 0; o < 3; o++) h.add({ id: `m${o}`, room: 'lobby', username: 'Aa', text: `t${o}`, timestamp: 't', offset: o }, 0);
    h.redact('lobby', 1);
    h.redact('lobby', 42);
    h.redact('elsewhere', 1);
    expect(h.recent('lobby', 3).map((m) => [m.offset, m.text, m.redacted])).toEqual([[0, 't0', undefined], [1, '', true], [2, 't2', undefined]]);
    expect(h.find('lobby', 1)).toMatchObject({ username: 'Aa', redacted: true });
    expect(h.find('lobby', 5)).toBeUndefined();
  });
});

describe('reactions in the room history', () => {
  it('folds reactions into held messages and lists, for a resume, what changed after an offset at or before it', () => {
    const h = makeRoomHistory(10, 10);
    for (let o = 0; o < 4; o++) h.add(m('lobby', o), 0);
    expect(h.react('lobby', 1, '🌸', 'Aki', true, 4)).toBe(true);
    expect(h.react('lobby', 1, '🌸', 'Aki', true, 5)).toBe(false); // the same again: no change
    expect(h.react('lobby', 9, '🌸', 'Aki', true, 6)).toBe(false); // not held
    h.redact('lobby', 2, 7);
    expect(h.react('lobby', 2, '🌸', 'Aki', true, 8)).toBe(false); // removed messages take no reactions
    expect(h.find('lobby', 1)?.reactions).toEqual({ '🌸': ['Aki'] });
    expect(h.changedSince('lobby', 3, 10).map((m) => [m.offset, m.reactions ?? null, m.redacted ?? false])).toEqual([[1, { '🌸': ['Aki'] }, false], [2, null, true]]);
    expect(h.changedSince('lobby', 5, 10).map((m) => m.offset)).toEqual([2]); // the reaction at 4 came before
    expect(h.changedSince('lobby', 0, 10)).toEqual([]); // targets after the offset come with the messages anyway
  });
});

describe('replies in the room history', () => {
  it('blanks the quote of every reply to a removed message and lists the replies as changed for a resume', () => {
    const h = makeRoomHistory(10, 10);
    h.add(m('lobby', 0), 0);
    const quote = { offset: 0, username: 'U1', excerpt: 't' };
    h.add({ ...m('lobby', 1), replyTo: quote }, 0);
    h.add({ ...m('lobby', 2), replyTo: { ...quote, offset: 1 } }, 0);
    h.redact('lobby', 0, 3);
    expect(h.find('lobby', 1)?.replyTo).toEqual({ offset: 0, username: 'U1', excerpt: '', removed: true });
    expect(h.find('lobby', 2)?.replyTo).toEqual({ ...quote, offset: 1 }); // quotes another message: untouched
    expect(h.changedSince('lobby', 2, 10).map((x) => x.offset)).toEqual([0, 1]);
  });
});
