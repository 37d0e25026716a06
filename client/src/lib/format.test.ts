import { describe, expect, it } from 'bun:test';
import { avatarHue, avatarInitials } from './avatar.ts';
import { continuedMessages, dayBreaks, dayLabel, failureReason, localTime, newClientId } from './format.ts';
import { isNearBottom } from './scroll.ts';

describe('display helpers', () => {
  it('derives the same avatar for the same name', () => {
    expect(avatarHue('SleepyKitsune')).toBe(avatarHue('SleepyKitsune'));
    expect(avatarInitials('SleepyKitsune42')).toBe('SK');
    expect(avatarInitials('bot')).toBe('BO');
  });
  it('shows UTC timestamps in local time and ignores garbage', () => {
    expect(localTime('2026-01-01T12:34:00.000Z')).toMatch(/\d/);
    expect(localTime('not a date')).toBe('');
  });
  it('explains a rate limit with the wait', () => {
    expect(failureReason({ code: 'rate_limited', message: 'x', retryAfterMs: 2500 })).toContain('3 s');
  });
  it('makes client ids the server accepts', () => {
    expect(newClientId()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(newClientId()).not.toBe(newClientId());
  });
  it('tells when a list is scrolled to the bottom', () => {
    expect(isNearBottom({ scrollTop: 960, scrollHeight: 1500, clientHeight: 500 })).toBe(true);
    expect(isNearBottom({ scrollTop: 100, scrollHeight: 1500, clientHeight: 500 })).toBe(false);
  });
});

describe('day separators', () => {
  const now = new Date('2026-11-23T12:00:00');
  const at = (iso: string, key: string) => ({ kind: 'message', key, message: { timestamp: new Date(iso).toISOString() } });

  it('labels today, yesterday, and older days by weekday and date (with the year when it differs)', () => {
    expect(dayLabel(new Date('2026-11-23T08:00:00').toISOString(), now)).toBe('Today');
    expect(dayLabel(new Date('2026-11-22T23:30:00').toISOString(), now)).toBe('Yesterday');
    expect(dayLabel(new Date('2026-11-18T10:00:00').toISOString(), now)).toContain('18');
    expect(dayLabel(new Date('2025-11-18T10:00:00').toISOString(), now)).toContain('2025');
    expect(dayLabel('not a date', now)).toBe('');
  });

  it('marks the first message of each day, skipping notices', () => {
    const items = [
      at('2026-11-21T10:00:00', 'a'), at('2026-11-21T18:00:00', 'b'),
      { kind: 'notice', key: 'n' },
      at('2026-11-22T09:00:00', 'c'), at('2026-11-23T09:00:00', 'd'), at('2026-11-23T10:00:00', 'e'),
    ];
    const breaks = dayBreaks(items, now);
    expect([...breaks.keys()]).toEqual(['a', 'c', 'd']);
    expect(breaks.get('c')).toBe('Yesterday');
    expect(breaks.get('d')).toBe('Today');
  });
});

describe('continuedMessages', () => {
  const item = (key: string, username: string, timestamp: string, redacted = false) => ({ kind: 'message', key, message: { username, timestamp, redacted } });
  it('groups a sender\'s messages within five minutes on one day, broken by others, notices and removals', () => {
    const items = [
      item('a', 'Aki', '2026-11-23T10:00:00Z'),
      item('b', 'Aki', '2026-11-23T10:04:00Z'),
      item('c', 'Aki', '2026-11-23T10:10:00Z'), // six minutes later: a new group
      item('d', 'Rin', '2026-11-23T10:10:30Z'),
      item('e', 'Aki', '2026-11-23T10:11:00Z'),
      { kind: 'notice', key: 'n' },
      item('f', 'Aki', '2026-11-23T10:11:30Z'),
      item('g', 'Aki', '2026-11-23T10:11:40Z', true),
      item('h', 'Aki', '2026-11-23T10:11:50Z'),
    ];
    expect([...continuedMessages(items)]).toEqual(['b']);
  });
});
