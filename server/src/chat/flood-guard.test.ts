import { describe, expect, it } from 'bun:test';
import { makeFloodGuard, repeatKey } from './flood-guard.ts';

const settings = { repeatLimit: 3, repeatWindowMs: 30_000, maxLinks: 2, maxMentions: 3, newArrivalWaitMs: 3000, newArrivalLinkWaitMs: 30_000, strikes: 3 };
const from = (text: string, over: Partial<{ username: string; source: string; viaSocket: boolean }> = {}) =>
  ({ username: 'LoudBot7', source: 'aaaaaaaaaaaaaaaa', text, viaSocket: false, ...over });

describe('the flood guard', () => {
  it('refuses the same text a third time in the window, however it is dressed up', () => {
    const g = makeFloodGuard(settings);
    expect(g.check(from('BUY COINS now!!!'), 0).ok).toBe(true);
    expect(g.check(from('buy   coins, now'), 1000).ok).toBe(true);
    expect(g.check(from('Ｂｕｙ coins now'), 2000)).toMatchObject({ ok: false, code: 'repeated_text', escalate: false }); // full-width letters fold too
    expect(g.check(from('something new'), 3000).ok).toBe(true);
    expect(g.check(from('buy coins now'), 40_000).ok).toBe(true); // the window has passed
    expect(repeatKey('  Hi,   THERE! ')).toBe('hi there');
  });

  it('refuses too many links or mentions in one message', () => {
    const g = makeFloodGuard(settings);
    expect(g.check(from('see https://a.example and www.b.example')).ok).toBe(true);
    expect(g.check(from('https://a.example https://b.example https://c.example'))).toMatchObject({ code: 'too_many_links' });
    expect(g.check(from('@Aa @Bb @Cc @Dd hello'))).toMatchObject({ code: 'too_many_mentions' });
    expect(g.check(from('mail me at me@example.com and @Aa')).ok).toBe(true);
  });

  it('makes a new WebSocket arrival wait before the first message and longer before links', () => {
    const g = makeFloodGuard(settings);
    g.arrived('bbbbbbbbbbbbbbbb', 10_000);
    const ws = (text: string) => from(text, { source: 'bbbbbbbbbbbbbbbb', viaSocket: true, username: 'NewFox' });
    expect(g.check(ws('hello'), 11_000)).toMatchObject({ ok: false, code: 'new_arrival', retryAfterMs: 2000, escalate: false });
    expect(g.check(ws('hello'), 13_000).ok).toBe(true);
    expect(g.check(ws('look https://x.example'), 14_000)).toMatchObject({ ok: false, code: 'links_not_yet' });
    expect(g.check(ws('look https://x.example'), 41_000).ok).toBe(true);
    g.arrived('bbbbbbbbbbbbbbbb', 50_000); // arriving again does not restart the clock
    expect(g.check(ws('again'), 50_001).ok).toBe(true);
    expect(g.check(from('over HTTP at once', { source: 'cccccccccccccccc' }), 0).ok).toBe(true); // HTTP is not held back
  });

  it('asks to escalate once a sender collects enough refusals within a minute', () => {
    const g = makeFloodGuard(settings);
    const verdicts = [0, 1, 2, 3, 4].map((i) => g.check(from('same spam'), i * 100));
    expect(verdicts.map((v) => (v.ok ? 'ok' : v.escalate ? 'escalate' : v.code))).toEqual(['ok', 'ok', 'repeated_text', 'repeated_text', 'escalate']);
  });
});
