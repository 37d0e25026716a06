// @mention autocomplete: which names to offer for what is typed after "@", and the text once one
// is picked. Names come from who is online in the room and who wrote recently. Pure functions.
import { mentionPrefix } from '@anime-universe/protocol';

const MAX_SUGGESTIONS = 6;

/** Names starting with the typed prefix (any case), recent writers first, then online names; never me. */
export function suggestNames(prefix: string, recentAuthors: readonly string[], online: readonly string[], me: string | undefined): string[] {
  const p = prefix.toLowerCase();
  const out: string[] = [];
  const seen = new Set<string>();
  for (const name of [...recentAuthors, ...online]) {
    const key = name.toLowerCase();
    if (seen.has(key) || name === me || !key.startsWith(p)) continue;
    seen.add(key);
    out.push(name);
    if (out.length === MAX_SUGGESTIONS) break;
  }
  return out;
}

/** What is being typed after "@" at the caret, if a mention is being typed. */
export const typedMention = (text: string, caret: number): string | undefined => mentionPrefix(text.slice(0, caret));

/** Replaces the "@prefix" before the caret with "@Name " and says where the caret goes. */
export function insertMention(text: string, caret: number, name: string): { text: string; caret: number } {
  const prefix = typedMention(text, caret) ?? '';
  const start = caret - prefix.length - 1;
  const inserted = `@${name} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, start) + inserted + after, caret: start + inserted.length };
}
