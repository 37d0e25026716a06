import { describe, expect, it } from 'bun:test';
import { originAllowed, parseOrigins } from './origin.ts';

describe('originAllowed', () => {
  it('lets clients without an Origin (bots) and the page this server serves in', () => {
    expect(originAllowed(undefined, 'localhost:3000', [])).toBe(true);
    expect(originAllowed('http://localhost:3000', 'localhost:3000', [])).toBe(true);
    expect(originAllowed('https://chat.example.org', 'chat.example.org', [])).toBe(true);
    expect(originAllowed('https://CHAT.example.org', 'Chat.Example.org', [])).toBe(true);
  });

  it('refuses other pages, "null" and odd schemes unless the origin is configured', () => {
    expect(originAllowed('https://evil.example', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('http://localhost:3001', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('null', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('file:///tmp/x.html', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('not a url', 'localhost:3000', [])).toBe(false);
    expect(originAllowed('https://friend.example', 'localhost:3000', ['https://friend.example'])).toBe(true);
    expect(originAllowed('https://friend.example:8443', 'localhost:3000', ['https://friend.example'])).toBe(false);
  });
});

describe('parseOrigins', () => {
  it('accepts origins and names every entry that is not one', () => {
    expect(parseOrigins('https://a.example, http://localhost:5173/')).toEqual({ origins: ['https://a.example', 'http://localhost:5173'], problems: [] });
    const bad = parseOrigins('https://a.example/path,ftp://b.example,nonsense');
    expect(bad.origins).toEqual([]);
    expect(bad.problems).toHaveLength(3);
  });
});
