// Property-based tests of the codecs and text rules: whatever arrives, decoding answers with a
// value that follows the rules or an error with a documented code, and never throws.
import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import { ERRORS } from './codes.ts';
import { decodeChatRecord, decodeClientFrame, decodeText, encodeChatRecord, encodeFrame } from './codec.ts';
import { isValidClientId, isValidUsername, MAX_TEXT_LENGTH, normalizeText, textLength } from './rules.ts';

const RUNS = { numRuns: 2000 };
const UNWANTED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 700 }), fc.string({ unit: 'grapheme', maxLength: 600 }), fc.string({ maxLength: 50 }));
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'type', 'text', 'clientId', 'toString', 'hasOwnProperty');
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }), anyText, fc.double(), fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2, 'chat', 'ping', 'users'),
);
const hostileObject = fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 12 })), hostileValue, { maxKeys: 6 });

/** Every answer is a decoded frame or an error with a code from the documented table. */
function wellFormed(result: ReturnType<typeof decodeClientFrame>) {
  if (result.ok) {
    const f = result.value;
    expect(['chat', 'ping', 'users']).toContain(f.type);
    if (f.type === 'chat') {
      expect(f.text.length).toBeGreaterThan(0);
      expect(textLength(f.text)).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      expect(UNWANTED.test(f.text)).toBe(false);
      if (f.clientId !== undefined) expect(isValidClientId(f.clientId)).toBe(true);
    }
  } else {
    expect(Object.keys(ERRORS)).toContain(result.error.code);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

describe('decodeClientFrame (property)', () => {
  it('answers any string with a valid frame or a documented error, never a throw', () => {
    fc.assert(fc.property(anyText, (raw) => wellFormed(decodeClientFrame(raw))), RUNS);
  });

  it('answers any JSON, hostile keys and deep nesting included, the same way and pollutes no prototype', () => {
    fc.assert(fc.property(fc.oneof(hostileObject, fc.jsonValue({ maxDepth: 8 })), (value) => {
      wellFormed(decodeClientFrame(JSON.stringify(value)));
      const withType = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, type: 'chat' } : value;
      wellFormed(decodeClientFrame(JSON.stringify(withType)));
    }), RUNS);
    const polluted = decodeClientFrame('{"type":"chat","text":"hi","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(polluted.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    wellFormed(decodeClientFrame(deep));
  });

  it('keeps a valid chat frame\'s text as the rules clean it, and cleaning twice changes nothing', () => {
    fc.assert(fc.property(anyText, fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), { nil: undefined }), (text, clientId) => {
      const decoded = decodeClientFrame(encodeFrame({ type: 'chat', text, clientId }));
      const clean = normalizeText(text);
      if (decoded.ok && decoded.value.type === 'chat') {
        expect(decoded.value.text).toBe(clean);
        expect(decoded.value.clientId).toBe(clientId);
        expect(normalizeText(decoded.value.text)).toBe(decoded.value.text);
      } else {
        expect(clean.length === 0 || textLength(clean) > MAX_TEXT_LENGTH).toBe(true);
        const again = decodeText(text);
        expect(again.ok).toBe(false);
      }
    }), RUNS);
  });
});

describe('chat records (property)', () => {
  const record = fc.record({
    id: fc.uuid(),
    room: fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}$/),
    username: fc.stringMatching(/^[A-Za-z0-9_-]{2,32}$/).filter(isValidUsername), // crowd words (all, here...) are never names
    text: anyText.filter((t) => t.length > 0),
    timestamp: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    clientId: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), { nil: undefined }),
  });

  it('round-trips every valid record through its Kafka value', () => {
    fc.assert(fc.property(record, (r) => {
      const decoded = decodeChatRecord(encodeChatRecord(r));
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(decoded.value).toEqual(r);
    }), RUNS);
  });

  it('rejects, never throws on, any other value a topic might hold', () => {
    fc.assert(fc.property(fc.oneof(anyText, hostileObject.map((o) => JSON.stringify(o))), (value) => {
      const decoded = decodeChatRecord(value);
      if (!decoded.ok) expect(Object.keys(ERRORS)).toContain(decoded.error.code);
    }), RUNS);
  });
});
