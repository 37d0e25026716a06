import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ChatMessage } from '@anime-universe/protocol';
import { silentLogger } from '../log.ts';
import { makeHistoryStore, type HistoryStore } from './history-store.ts';

const dirs: string[] = [];
const stores: HistoryStore[] = [];
const file = () => {
  const dir = mkdtempSync(`${tmpdir()}/history-store-`);
  dirs.push(dir);
  return `${dir}/history.sqlite`;
};
const store = (path: string) => {
  const s = makeHistoryStore(path, silentLogger);
  stores.push(s);
  return s;
};
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const msg = (room: string, offset: number): ChatMessage => ({
  id: `${room}-${offset}`, room, username: 'QuietFox', text: `message ${offset}`, timestamp: '2026-11-23T10:00:00.000Z', offset,
});

describe('the history store', () => {
  it('writes on its worker thread and answers from this thread once a write is committed', async () => {
    const s = store(file());
    expect(await s.open('chat', 'e1')).toEqual(new Map());
    await s.begin(new Map([[0, 0]]));
    await s.apply([{ partition: 0, messages: [msg('lobby', 0), msg('lobby', 1)], through: 1 }]);
    await s.apply([{ partition: 0, messages: [msg('lobby', 2)], through: 3 }]);
    expect(s.reader()?.positions()).toEqual(new Map([[0, 4]]));
    const since = s.reader()?.since('lobby', 0, 0, 10);
    expect(since?.messages.map((m) => m.offset)).toEqual([1, 2]);
    expect(since?.position).toBe(4);
  });

  it('resumes from the stored positions when reopened on the same file', async () => {
    const path = file();
    const first = store(path);
    await first.open('chat', 'e1');
    await first.begin(new Map([[0, 0], [1, 0]]));
    await first.apply([{ partition: 1, messages: [msg('lobby', 0)], through: 6 }]);
    await first.close();
    const second = store(path);
    expect(await second.open('chat', 'e1')).toEqual(new Map([[0, 0], [1, 7]]));
    expect(second.reader()?.latestOffset('lobby')).toBe(0);
  });

  it('keeps one process per file: a second opener gets a temporary database of its own', async () => {
    const path = file();
    const first = store(path);
    await first.open('chat', 'e1');
    await first.begin(new Map([[0, 0]]));
    await first.apply([{ partition: 0, messages: [msg('lobby', 0)], through: 0 }]);
    const child = Bun.spawnSync(['bun', '-e', `
      const { makeHistoryStore } = await import(${JSON.stringify(new URL('./history-store.ts', import.meta.url).pathname)});
      const quiet = { debug() {}, info() {}, warn() {}, error() {} };
      const store = makeHistoryStore(${JSON.stringify(path)}, quiet);
      const positions = await store.open('chat', 'e1');
      console.log(positions.size, store.reader().latestOffset('lobby'));
      await store.close();
    `]);
    expect(child.stdout.toString().trim()).toBe('0 -1'); // its own, empty database, not the first one's file
    expect(first.reader()?.positions()).toEqual(new Map([[0, 1]]));
  });

  it('removes its temporary file at close when asked for memory', async () => {
    const s = makeHistoryStore(':memory:', silentLogger);
    await s.open('chat', 'e1');
    const files = () => [...new Bun.Glob('anime-history-*.sqlite').scanSync(tmpdir())];
    const before = files();
    expect(before.length).toBeGreaterThan(0);
    await s.close();
    expect(files().length).toBe(before.length - 1);
  });

  it('refuses every write after a failed one, so no position moves past a hole', async () => {
    const s = store(file());
    await s.open('chat', 'e1');
    await s.begin(new Map([[0, 0]]));
    // A value SQLite cannot bind: the whole batch fails.
    const broken = { ...msg('lobby', 0), text: { not: 'text' } } as unknown as ChatMessage;
    const first = s.apply([{ partition: 0, messages: [broken], through: 0 }]);
    const second = s.apply([{ partition: 0, messages: [msg('lobby', 1)], through: 1 }]);
    expect(await first.then(() => 'stored', (e: Error) => e.message)).toMatch(/bind/i);
    expect(await second.then(() => 'stored', (e: Error) => e.message)).toMatch(/earlier write failed/);
    expect(s.reader()?.positions()).toEqual(new Map([[0, 0]]));
  });
});
