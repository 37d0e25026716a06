import { describe, expect, it } from 'bun:test';
import { reactionChips, whoReacted } from './reaction-view.ts';

describe('reaction chips', () => {
  it('counts each emoji, marks my own and names who reacted', () => {
    expect(reactionChips({ '🔥': ['Aki', 'Me1'], '🌸': ['Rin'] }, 'Me1')).toEqual([
      { emoji: '🔥', count: 2, mine: true, who: 'Aki and you' },
      { emoji: '🌸', count: 1, mine: false, who: 'Rin' },
    ]);
    expect(reactionChips(undefined, 'Me1')).toEqual([]);
  });
  it('names the first ten and counts the rest', () => {
    const names = Array.from({ length: 13 }, (_, i) => `N${i}`);
    expect(whoReacted(names, undefined)).toBe('N0, N1, N2, N3, N4, N5, N6, N7, N8, N9 and 3 others');
    expect(whoReacted(names.slice(0, 11), undefined)).toMatch(/and 1 other$/);
  });
});
