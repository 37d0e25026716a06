import { describe, expect, it } from 'bun:test';
import { splitLinks, splitMessage } from './links.ts';

describe('links in messages', () => {
  it('links http(s) addresses and www. names, without trailing punctuation', () => {
    expect(splitLinks('see https://example.com/a?b=1. and www.anime.example!')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. and ' },
      { kind: 'link', text: 'www.anime.example', href: 'https://www.anime.example/' },
      { kind: 'text', text: '!' },
    ]);
  });

  it('keeps a closing parenthesis that belongs to the address', () => {
    expect(splitLinks('(https://en.wikipedia.org/wiki/Naruto_(TV_series))').filter((p) => p.kind === 'link').map((p) => p.text))
      .toEqual(['https://en.wikipedia.org/wiki/Naruto_(TV_series)']);
  });

  it('never links other schemes or things that only look like addresses', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,hi', 'http://localhost', 'ftp://files.example', 'mailto:me@example.com', 'just text']) {
      expect(splitLinks(text).every((p) => p.kind === 'text')).toBe(true);
    }
    expect(splitLinks('')).toEqual([]);
  });
});

describe('splitMessage', () => {
  it('marks @mentions between links and text, not inside addresses', () => {
    expect(splitMessage('hi @Aki see https://x.example/@Rin and mail me@example.com')).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@Aki', name: 'Aki' },
      { kind: 'text', text: ' see ' },
      { kind: 'link', text: 'https://x.example/@Rin', href: 'https://x.example/@Rin' },
      { kind: 'text', text: ' and mail me@example.com' },
    ]);
  });
});
