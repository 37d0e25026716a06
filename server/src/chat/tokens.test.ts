import { describe, expect, it } from 'bun:test';
import { makeTokens } from './tokens.ts';

describe('makeTokens', () => {
  const tokens = makeTokens('a-secret-that-is-long-enough-for-tests');
  it('verifies a token it issued and returns its name', () => {
    expect(tokens.verify(tokens.issue('SleepyKitsune'))).toBe('SleepyKitsune');
  });
  it('rejects forged, altered and foreign tokens', () => {
    const good = tokens.issue('SleepyKitsune');
    const forged = `v1.${Buffer.from('CrimsonRonin').toString('base64url')}.${good.split('.')[2]}`;
    expect(tokens.verify(forged)).toBeNull();
    expect(tokens.verify(`${good}x`)).toBeNull();
    expect(makeTokens('another-secret-that-is-long-enough!!').verify(good)).toBeNull();
    for (const junk of [undefined, null, '', 'nodots', '...', 'x'.repeat(500)]) expect(tokens.verify(junk)).toBeNull();
  });
});
