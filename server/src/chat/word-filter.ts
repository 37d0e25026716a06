// The optional word and link filter (MODERATION_WORDLIST): one entry per line, `#` for comments;
// a plain entry matches a word that contains it, `/pattern/` is a regular expression. Words are
// compared after folding: NFKC, lower case, accents and combining marks dropped, common
// look-alike letters and digits mapped to plain letters, and everything but letters and digits
// removed, so "B.4.D", "ＢＡＤ" and "bаd" (Cyrillic а) all read "bad". A matching word is
// masked with asterisks, or the message is refused (MODERATION_WORDLIST_ACTION).
import { readFileSync } from 'node:fs';

const LOOK_ALIKES: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', '$': 's', '!': 'i', '|': 'l',
  // Cyrillic and Greek letters that look Latin
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's',
  α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};

/** A word as the filter compares it. */
export function foldWord(word: string): string {
  let out = '';
  for (const ch of word.normalize('NFKD').toLowerCase()) {
    const mapped = LOOK_ALIKES[ch] ?? ch;
    if (/[\p{L}\p{N}]/u.test(mapped) && !/\p{M}/u.test(mapped)) out += mapped;
  }
  return out;
}

export interface WordFilter {
  /** The text with listed words masked, and whether anything matched. */
  apply(text: string): { text: string; matched: boolean };
}

export function makeWordFilter(lines: readonly string[]): WordFilter {
  const words: string[] = [];
  const patterns: RegExp[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const re = /^\/(.+)\/$/.exec(line);
    if (re) patterns.push(new RegExp(re[1] as string, 'u'));
    else if (foldWord(line)) words.push(foldWord(line));
  }
  const listed = (word: string) => {
    const folded = foldWord(word);
    return folded !== '' && (words.some((w) => folded.includes(w)) || patterns.some((p) => p.test(folded)));
  };
  return {
    apply(text) {
      let matched = false;
      // A word: from its first to its last character that is neither space nor punctuation.
      const masked = text.replace(/[^\s\p{P}](?:\S*[^\s\p{P}])?/gu, (word) => {
        if (!listed(word)) return word;
        matched = true;
        return '*'.repeat([...word].length);
      });
      return { text: masked, matched };
    },
  };
}

/** The filter from a list file, or undefined without one. Throws with the file's name when it cannot be read. */
export function loadWordFilter(path: string | undefined): WordFilter | undefined {
  if (!path) return undefined;
  try {
    return makeWordFilter(readFileSync(path, 'utf8').split('\n'));
  } catch (error) {
    throw new Error(`MODERATION_WORDLIST ${path}: ${(error as Error).message}`);
  }
}
