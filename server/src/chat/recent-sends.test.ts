import { describe, expect, it } from 'bun:test';
import { makeRecentSends } from './recent-sends.ts';

const msg = (id: string) => ({ id, room: 'lobby', username: 'U1', text: 't', timestamp: 'x', offset: 1 });

describe('makeRecentSends', () => {
  it('finds a send by user and clientId only', () => {
    const r = makeRecentSends();
    r.set('U1', 'c1', msg('a'));
    expect(r.get('U1', 'c1')).toEqual(msg('a'));
    expect(r.get('U2', 'c1')).toBeUndefined();
  });
  it('never holds more than its maximum, dropping the oldest', () => {
    const r = makeRecentSends(3);
    for (const c of ['c1', 'c2', 'c3', 'c4']) r.set('U1', c, msg(c));
    expect(r.size()).toBe(3);
    expect(r.get('U1', 'c1')).toBeUndefined();
    expect(r.get('U1', 'c4')).toBeDefined();
  });
  it('forgets entries older than the maximum age', () => {
    let now = 0;
    const r = makeRecentSends(10, 1000, () => now);
    r.set('U1', 'c1', msg('a'));
    now = 1001;
    expect(r.get('U1', 'c1')).toBeUndefined();
  });
});
