// Mentions: `@Name` where Name is a chat name, at the start of the text or after a space or
// punctuation, not inside a word or an address (so "me@example.com" mentions nobody). Names
// compare without case. There is no @everyone: those words are not names anyone can take.
const MENTION = /(?<![\p{L}\p{N}_@./:-])@([A-Za-z0-9_-]{2,32})(?![A-Za-z0-9_-])/gu;

/** The names a text mentions, lowercased, each once, in order. */
export function mentionedNames(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(MENTION)) out.add((m[1] as string).toLowerCase());
  return [...out];
}

export function mentions(text: string, name: string | undefined): boolean {
  return name !== undefined && mentionedNames(text).includes(name.toLowerCase());
}

/** The spans of a text that are mentions, for highlighting: [start, end) of each `@Name`. */
export function mentionSpans(text: string): Array<{ start: number; end: number; name: string }> {
  return [...text.matchAll(MENTION)].map((m) => ({ start: m.index, end: m.index + m[0].length, name: m[1] as string }));
}

/** The `@prefix` being typed just before the caret, if any (for autocomplete). */
export function mentionPrefix(beforeCaret: string): string | undefined {
  const m = /(?:^|[\s(])@([A-Za-z0-9_-]{0,32})$/.exec(beforeCaret);
  return m ? (m[1] as string) : undefined;
}
