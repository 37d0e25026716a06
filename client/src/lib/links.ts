// Web addresses in a message's text as links: only http(s) addresses and "www." names (opened as
// https), with trailing punctuation left out ("see https://example.com." links the address, not
// the dot). Everything else stays text; nothing is fetched or previewed.
import { mentionSpans } from '@anime-universe/protocol';

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'mention'; text: string; name: string };

const ADDRESS = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const TRAILING = /[.,;:!?'"\])}>]+$/u;

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    let candidate = match[0];
    // Drop trailing punctuation, but keep a closing parenthesis that closes one in the address.
    let trail = TRAILING.exec(candidate)?.[0] ?? '';
    if (trail.startsWith(')') && candidate.includes('(')) trail = trail.slice(1);
    candidate = candidate.slice(0, candidate.length - trail.length);
    const href = candidate.toLowerCase().startsWith('www.') ? `https://${candidate}` : candidate;
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      continue;
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.')) continue;
    const at = match.index ?? 0;
    if (at > last) parts.push({ kind: 'text', text: text.slice(last, at) });
    parts.push({ kind: 'link', text: candidate, href: url.href });
    last = at + candidate.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Links as above, and `@Name` mentions in the text between them. */
export function splitMessage(text: string): TextPart[] {
  const parts: TextPart[] = [];
  for (const part of splitLinks(text)) {
    if (part.kind !== 'text') {
      parts.push(part);
      continue;
    }
    let last = 0;
    for (const span of mentionSpans(part.text)) {
      if (span.start > last) parts.push({ kind: 'text', text: part.text.slice(last, span.start) });
      parts.push({ kind: 'mention', text: part.text.slice(span.start, span.end), name: span.name });
      last = span.end;
    }
    if (last < part.text.length) parts.push({ kind: 'text', text: part.text.slice(last) });
  }
  return parts;
}
