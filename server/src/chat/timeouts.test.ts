import { describe, expect, it } from 'bun:test';
import { makeRecentSources, makeSourceHash, makeTimeouts } from './timeouts.ts';

describe('timeouts', () => {
  it('holds a name or its source until the time, and the latest record wins', () => {
    const t = makeTimeouts();
    t.apply({ name: 'LoudBot7', until: 10_000 });
    t.apply({ source: 'aaaaaaaaaaaaaaaa', until: 20_000 });
    expect(t.remaining('LoudBot7', undefined, 4000)).toBe(6000);
    expect(t.remaining('NewName', 'aaaaaaaaaaaaaaaa', 4000)).toBe(16_000); // a new name from the same address
    expect(t.remaining('QuietFox', 'bbbbbbbbbbbbbbbb', 4000)).toBe(0);
    expect(t.remaining('LoudBot7', undefined, 10_000)).toBe(0); // over
    t.apply({ source: 'aaaaaaaaaaaaaaaa', until: 0 }); // lifted
    expect(t.remaining('NewName', 'aaaaaaaaaaaaaaaa', 4000)).toBe(0);
    t.load([{ kind: 'name', key: 'Stored', until: 9000 }]);
    expect(t.remaining('Stored', undefined, 8000)).toBe(1000);
  });
});

describe('sources', () => {
  it('hash an address the same way with the same secret, differently with another, and never show it', () => {
    const a = makeSourceHash('secret-one');
    expect(a('10.0.0.7')).toMatch(/^[0-9a-f]{16}$/);
    expect(a('10.0.0.7')).toBe(makeSourceHash('secret-one')('10.0.0.7'));
    expect(a('10.0.0.7')).not.toBe(makeSourceHash('secret-two')('10.0.0.7'));
    expect(a('10.0.0.7')).not.toBe(a('10.0.0.8'));
  });

  it('remember where a name was last seen for a while', () => {
    const s = makeRecentSources(2, 1000);
    s.see('A', 'aaaaaaaaaaaaaaaa', 0);
    s.see('B', 'bbbbbbbbbbbbbbbb', 0);
    s.see('C', 'cccccccccccccccc', 0); // over the bound: the oldest goes
    expect(s.of('A', 10)).toBeUndefined();
    expect(s.of('C', 10)).toBe('cccccccccccccccc');
    expect(s.of('C', 2000)).toBeUndefined(); // too long ago
  });
});
