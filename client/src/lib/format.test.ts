import { describe, expect, it } from 'bun:test';
import { avatarHue, avatarInitials } from './avatar.ts';
import { failureReason, localTime, newClientId } from './format.ts';
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
