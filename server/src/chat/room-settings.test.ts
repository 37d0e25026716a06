import { describe, expect, it } from 'bun:test';
import { makeRoomSettings } from './room-settings.ts';

describe('room settings and slow mode', () => {
  it('lets a name post once per interval in a slow room, others and other rooms unaffected, until it is turned off', () => {
    const r = makeRoomSettings();
    r.apply({ room: 'lobby', slowModeSeconds: 30 });
    expect(r.slowMode('lobby')).toBe(30);
    expect(r.wait('lobby', 'QuietFox', 0)).toBe(0);
    r.posted('lobby', 'QuietFox', 0);
    r.posted('other', 'QuietFox', 0);
    expect(r.wait('lobby', 'QuietFox', 10_000)).toBe(20_000);
    expect(r.wait('lobby', 'LoudBot7', 10_000)).toBe(0);
    expect(r.wait('other', 'QuietFox', 10_000)).toBe(0);
    expect(r.wait('lobby', 'QuietFox', 30_000)).toBe(0);
    r.apply({ room: 'lobby', slowModeSeconds: 0 });
    expect(r.wait('lobby', 'QuietFox', 10_000)).toBe(0);
    r.load([{ room: 'tea', slowModeSeconds: 5 }]);
    expect(r.slowMode('tea')).toBe(5);
  });
});
