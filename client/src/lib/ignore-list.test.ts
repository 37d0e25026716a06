import { describe, expect, it } from 'bun:test';
import { IGNORE_KEY, MAX_IGNORED, makeIgnoreList } from './ignore-list.ts';

const memory = (initial: Record<string, string> = {}) => {
  const m = new Map(Object.entries(initial));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};

describe('the ignore list', () => {
  it('ignores a name, survives a reload through storage, and can be undone', () => {
    const storage = memory();
    expect(makeIgnoreList(storage).toggle('LoudBot7')).toBe(true);
    const reloaded = makeIgnoreList(storage);
    expect(reloaded.has('LoudBot7')).toBe(true);
    expect(reloaded.has('QuietFox')).toBe(false);
    expect(reloaded.toggle('LoudBot7')).toBe(false);
    expect(makeIgnoreList(storage).names()).toEqual([]);
  });

  it('starts empty from a damaged entry and skips values that are not names', () => {
    expect(makeIgnoreList(memory({ [IGNORE_KEY]: '{not json' })).names()).toEqual([]);
    expect(makeIgnoreList(memory({ [IGNORE_KEY]: '{"a":1}' })).names()).toEqual([]);
    expect(makeIgnoreList(memory({ [IGNORE_KEY]: JSON.stringify(['LoudBot7', 42, '<script>', 'QuietFox']) })).names()).toEqual(['LoudBot7', 'QuietFox']);
  });

  it(`keeps at most ${MAX_IGNORED} names, dropping the oldest`, () => {
    const list = makeIgnoreList(memory());
    for (let i = 0; i <= MAX_IGNORED; i++) list.toggle(`Bot${i}`);
    expect(list.names()).toHaveLength(MAX_IGNORED);
    expect(list.has('Bot0')).toBe(false);
    expect(list.has(`Bot${MAX_IGNORED}`)).toBe(true);
  });

  it('keeps working when storage refuses writes', () => {
    const list = makeIgnoreList({ getItem: () => null, setItem: () => { throw new Error('quota'); } });
    expect(list.toggle('LoudBot7')).toBe(true);
    expect(list.has('LoudBot7')).toBe(true);
  });
});
