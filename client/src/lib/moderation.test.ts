import { describe, expect, it } from 'bun:test';
import type { ChatMessage } from '@anime-universe/protocol';
import { makeRemover, MODERATOR_KEY, TIMEOUT_MINUTES, type AuthorizedRequest } from './moderation.ts';
import { redactMessage, addMessage, emptyTimeline } from './timeline.ts';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
};
const at = Date.parse('2026-11-23T10:00:00.000Z');
const msg = (offset: number, username = 'QuietFox'): ChatMessage => ({
  id: `m${offset}`, room: 'lobby', username, text: `t${offset}`, timestamp: new Date(at).toISOString(), offset,
});

describe('removing messages from the client', () => {
  it('offers authors their own messages within the window, and moderators every message', () => {
    const r = makeRemover(memory(), 'http://chat.test');
    expect(r.canRemove(msg(1), 'QuietFox', 600_000, at + 1000)).toBe(true);
    expect(r.canRemove(msg(1), 'QuietFox', 600_000, at + 700_000)).toBe(false); // too late
    expect(r.canRemove(msg(1, 'Other'), 'QuietFox', 600_000, at)).toBe(false);
    expect(r.canRemove(msg(1), 'QuietFox', undefined, at)).toBe(false); // the server did not say
    r.signIn(' mod-secret ');
    expect(r.canRemove(msg(1, 'Other'), 'QuietFox', undefined, at + 10 ** 9)).toBe(true);
    expect(r.canRemove({ ...msg(1, 'Other'), redacted: true }, 'QuietFox', undefined, at)).toBe(false);
  });

  it('sends the moderator token when signed in, else the chat token, to the message\'s address', async () => {
    const calls: Array<[string, string, string, unknown]> = [];
    const ok: AuthorizedRequest = async (method, url, bearer, body) => {
      calls.push([method, url, bearer, body]);
      return { status: 200, body: {} };
    };
    const storage = memory();
    const r = makeRemover(storage, 'http://chat.test', ok);
    expect(await r.remove(msg(7), 'chat-token')).toBeUndefined();
    r.signIn('mod-secret');
    expect(storage.m.get(MODERATOR_KEY)).toBe('mod-secret');
    expect(await r.remove(msg(8), 'chat-token')).toBeUndefined();
    expect(await r.timeOut(msg(9, 'LoudBot7'))).toBeUndefined();
    expect(await r.setSlowMode('lobby', 30)).toBeUndefined();
    expect(await r.report(msg(10, 'LoudBot7'), 'spam', 'chat-token')).toBeUndefined();
    expect(await r.dismiss('r-1')).toBeUndefined();
    expect(calls).toEqual([
      ['DELETE', 'http://chat.test/rooms/lobby/messages/7', 'chat-token', undefined],
      ['DELETE', 'http://chat.test/rooms/lobby/messages/8', 'mod-secret', undefined],
      ['POST', 'http://chat.test/moderation/timeouts', 'mod-secret', { room: 'lobby', offset: 9, minutes: TIMEOUT_MINUTES }],
      ['PUT', 'http://chat.test/rooms/lobby/settings', 'mod-secret', { slowModeSeconds: 30 }],
      ['POST', 'http://chat.test/rooms/lobby/messages/10/reports', 'chat-token', { reason: 'spam' }],
      ['DELETE', 'http://chat.test/moderation/reports/r-1', 'mod-secret', undefined],
    ]);
  });

  it('forgets a moderator token the server refuses, and shows the server\'s reason otherwise', async () => {
    const storage = memory();
    const refuse: AuthorizedRequest = async (_method, _url, bearer) => (bearer === 'bad'
      ? { status: 401, body: { error: { code: 'unauthorized', message: 'no' } } }
      : { status: 403, body: { error: { code: 'forbidden', message: 'Authors may remove their messages for 10 minutes after sending.' } } });
    const r = makeRemover(storage, 'http://chat.test', refuse);
    r.signIn('bad');
    expect(await r.remove(msg(1), 'chat')).toMatch(/not accepted/);
    expect(r.moderator()).toBe(false);
    expect(storage.m.has(MODERATOR_KEY)).toBe(false);
    expect(await r.remove(msg(1), 'chat')).toMatch(/10 minutes/);
    r.signIn('bad');
    expect(await r.reports()).toBeNull(); // refused: signed out
    expect(r.moderator()).toBe(false);
    expect(await r.reports()).toBeUndefined(); // not signed in: nothing to read
    const down = makeRemover(memory(), 'http://chat.test', async () => {
      throw new Error('offline');
    });
    expect(await down.remove(msg(1), 'chat')).toMatch(/could not be reached/);
  });

  it('blanks a removed message in the timeline in place, once', () => {
    let t = emptyTimeline();
    for (const o of [1, 2, 3]) t = addMessage(t, msg(o));
    const removed = redactMessage(t, 2);
    expect(removed.items.map((i) => i.kind === 'message' && [i.message.offset, i.message.text, i.message.redacted ?? false])).toEqual([
      [1, 't1', false], [2, '', true], [3, 't3', false],
    ]);
    expect(redactMessage(removed, 2)).toBe(removed);
    expect(redactMessage(removed, 99)).toBe(removed);
  });
});
