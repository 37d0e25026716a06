// Generates anonymous anime names ("SleepyKitsune", "CrimsonRonin42") unique among users online.
import { NumberDictionary, uniqueNamesGenerator } from 'unique-names-generator';
import { ANIME_ADJECTIVES, ANIME_NOUNS } from './anime-words.ts';

const numbers = NumberDictionary.generate({ min: 1, max: 99 });

/** Picks a name nobody online uses; adds a number when the plain name is taken. */
export function generateName(isTaken: (name: string) => boolean, random: () => number = Math.random): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const dictionaries = attempt < 5 ? [ANIME_ADJECTIVES, ANIME_NOUNS] : [ANIME_ADJECTIVES, ANIME_NOUNS, numbers];
    const seed = Math.floor(random() * Number.MAX_SAFE_INTEGER);
    const name = uniqueNamesGenerator({ dictionaries, separator: '', style: 'capital', seed });
    if (!isTaken(name)) return name;
  }
  // 70 x 70 x 99 names: reaching here means hundreds of thousands are online; widen with a suffix.
  return `Wanderer${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
}
