import { describe, expect, it } from 'bun:test';
import { isValidUsername } from '@anime-universe/protocol';
import { ANIME_ADJECTIVES, ANIME_NOUNS } from './anime-words.ts';
import { generateName } from './names.ts';

describe('generateName', () => {
  it('draws from at least 60 anime adjectives and 60 nouns without repeats', () => {
    expect(new Set(ANIME_ADJECTIVES).size).toBeGreaterThanOrEqual(60);
    expect(new Set(ANIME_NOUNS).size).toBeGreaterThanOrEqual(60);
    expect(new Set(ANIME_ADJECTIVES).size).toBe(ANIME_ADJECTIVES.length);
    expect(new Set(ANIME_NOUNS).size).toBe(ANIME_NOUNS.length);
  });
  it('makes valid AdjectiveNoun names', () => {
    for (let i = 0; i < 200; i++) {
      const name = generateName(() => false);
      expect(isValidUsername(name)).toBe(true);
      expect(name).toMatch(/^[A-Z][a-z]+[A-Z][a-z]+\d*$/);
    }
  });
  it('never returns a name that is taken', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 2000; i++) taken.add(generateName((n) => taken.has(n)));
    expect(taken.size).toBe(2000);
  });
});
