import { describe, expect, it } from 'bun:test';
import { foldWord, makeWordFilter } from './word-filter.ts';

const filter = makeWordFilter(['# words we do not want', 'baka', '', '/^spa+m+$/', 'scam-coin']);

describe('the word filter', () => {
  it('folds look-alike spellings to plain letters', () => {
    expect(foldWord('B.4.K.A')).toBe('baka');
    expect(foldWord('ＢＡＫＡ')).toBe('baka'); // full-width
    expect(foldWord('bаkа')).toBe('baka'); // Cyrillic а
    expect(foldWord('bákà!')).toBe('bakai'); // accents dropped, "!" reads as i
    expect(foldWord('$C4M')).toBe('scam');
  });

  it('masks listed words and patterns however they are spelled, and leaves the rest alone', () => {
    expect(filter.apply('you are such a B4KA, really')).toEqual({ text: 'you are such a ****, really', matched: true });
    expect(filter.apply('bаkаyarou!')).toMatchObject({ matched: true }); // contains the word, Cyrillic letters
    expect(filter.apply('SPAAAM time')).toEqual({ text: '****** time', matched: true });
    expect(filter.apply('buy $c4m-c0in now')).toEqual({ text: 'buy ********* now', matched: true });
    expect(filter.apply('spammy but fine, bakery too')).toEqual({ text: 'spammy but fine, bakery too', matched: false });
  });
});
