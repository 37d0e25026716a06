import { describe, expect, it } from 'bun:test';
import { insertMention, suggestNames, typedMention } from './mention-suggest.ts';

describe('mention suggestions', () => {
  it('offers names starting with the prefix, recent writers first, each once, never me', () => {
    expect(suggestNames('s', ['SilverFox', 'Me1', 'ShyOwl'], ['Aki', 'silverfox', 'SleepyKitsune'], 'Me1')).toEqual(['SilverFox', 'ShyOwl', 'SleepyKitsune']);
    expect(suggestNames('', [], ['Aa', 'Bb'], undefined)).toEqual(['Aa', 'Bb']);
    expect(suggestNames('zz', ['Aa'], [], undefined)).toEqual([]);
  });
  it('knows when a mention is being typed at the caret', () => {
    expect(typedMention('hi @Sl', 6)).toBe('Sl');
    expect(typedMention('hi @Sl there', 12)).toBeUndefined();
    expect(typedMention('mail a@b', 8)).toBeUndefined();
  });
  it('puts the picked name in place of the prefix, with a space, and moves the caret after it', () => {
    expect(insertMention('hi @Sl', 6, 'SleepyKitsune')).toEqual({ text: 'hi @SleepyKitsune ', caret: 18 });
    expect(insertMention('@a and more', 2, 'Aki')).toEqual({ text: '@Aki and more', caret: 5 });
  });
});
