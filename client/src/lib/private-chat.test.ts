import { describe, expect, it } from 'bun:test';
import type { PrivateMessage } from '@anime-universe/protocol';
import { makePrivateChat } from './private-chat.ts';

const dm = (offset: number, from: string, to: string, text = `t${offset}`): PrivateMessage => ({ id: `d${offset}`, from, to, text, timestamp: '2026-11-23T10:00:00Z', offset });

function setup(ignored: string[] = []) {
  const storage = new Map<string, string>();
  const asked: Array<[string, string]> = [];
  const chat = makePrivateChat({
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    async getJson(url, token) {
      asked.push([url, token]);
      if (url.includes('/messages')) return { peer: 'Aki', messages: [dm(1, 'Aki', 'Me1'), dm(2, 'Me1', 'Aki')], atStart: true };
      return { threads: [{ peer: 'Aki', latestOffset: 2, at: 'x', unread: 1 }, { peer: 'Spam9', latestOffset: 5, at: 'x', unread: 3 }] };
    },
    httpOrigin: 'http://chat.test', isIgnored: (n) => ignored.includes(n), changed() {},
  });
  return { chat, storage, asked };
}

describe('private chat in the browser', () => {
  it('lists threads with unread counts, opens one with its history, and counts live messages elsewhere as unread', async () => {
    const { chat, asked } = setup(['Spam9']);
    await chat.refresh('tok');
    expect(chat.view().threads).toEqual([{ peer: 'Aki', latestOffset: 2, unread: 1 }]); // an ignored name's thread is not shown
    await chat.openThread('Aki', 'tok');
    expect(asked.at(-1)).toEqual(['http://chat.test/private/Aki/messages', 'tok']);
    expect(chat.view().open?.messages.map((m) => m.offset)).toEqual([1, 2]);
    expect(chat.view().threads[0]?.unread).toBe(0);
    chat.sending('c1', 'hello');
    chat.received({ ...dm(3, 'Me1', 'Aki', 'hello'), clientId: 'c1' }, 'Me1');
    expect(chat.view().open?.pending).toEqual([]);
    chat.received(dm(4, 'Rin', 'Me1'), 'Me1');
    chat.received(dm(5, 'Spam9', 'Me1'), 'Me1');
    expect(chat.view().threads.map((t) => [t.peer, t.unread])).toEqual([['Rin', 1], ['Aki', 0]]);
    expect(chat.unread()).toBe(1);
  });
  it('remembers what was read, shows a refusal on the pending message, and keeps the off switch', async () => {
    const { chat, storage } = setup();
    await chat.openThread('Aki', 'tok');
    expect(JSON.parse(storage.get('anime-universe.private-read') ?? '{}')).toEqual({ Aki: 2 });
    chat.sending('c2', 'are you there');
    expect(chat.refused('c2', 'That name does not take private messages.')).toBe(true);
    expect(chat.refused('other', 'x')).toBe(false);
    expect(chat.view().open?.pending).toEqual([{ clientId: 'c2', text: 'are you there', error: 'That name does not take private messages.' }]);
    chat.setOff(true);
    expect(storage.get('anime-universe.dms-off')).toBe('on');
  });
  it('keeps messages on their way when their thread is closed, to send again and to show when it opens', async () => {
    const { chat } = setup();
    await chat.openThread('Aki', 'tok');
    chat.sending('c3', 'brb');
    chat.sending('c4', 'refused one');
    chat.refused('c4', 'Aki does not take private messages.');
    expect(chat.refused('c3', 'maybe stored', 'outcome_unknown')).toBe(true); // not a refusal: still on its way
    chat.closeThread();
    expect(chat.unconfirmed()).toEqual([{ to: 'Aki', clientId: 'c3', text: 'brb' }]);
    await chat.openThread('Rin', 'tok');
    expect(chat.view().open?.pending).toEqual([]);
    await chat.openThread('Aki', 'tok');
    expect(chat.view().open?.pending.map((p) => [p.clientId, p.error])).toEqual([['c3', undefined], ['c4', 'Aki does not take private messages.']]);
    chat.received({ ...dm(7, 'Me1', 'Aki', 'brb'), clientId: 'c3' }, 'Me1');
    expect(chat.unconfirmed()).toEqual([]);
    expect(chat.view().open?.pending.map((p) => p.clientId)).toEqual(['c4']);
  });
});
