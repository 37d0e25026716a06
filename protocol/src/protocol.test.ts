import { describe, expect, it } from 'bun:test';
import {
  decodeChatRecord, decodeClientFrame, decodeRedactionRecord, decodeRoomSettingsRecord, decodeServerFrame, decodeServerFrames, encodeFrame, packFrames, encodeRoomSettingsRecord, isRoomSettingsRecord, decodeTimeoutRecord, encodeTimeoutRecord, isTimeoutRecord, encodeChatRecord, encodeRedactionRecord, isRedactionRecord, encodeMarkerRecord, isMarkerRecord, isValidRoom, isValidUsername, normalizeText, shouldReconnect, textLength, CLOSE,
} from './index.ts';

describe('normalizeText', () => {
  it('trims and removes control and bidi-override characters but keeps newlines and tabs', () => {
    expect(normalizeText('  hi\u0000\u0007 there\u202E\r\nline\ttwo  ')).toBe('hi there\nline\ttwo');
  });
  it('trims stacked combining marks ("zalgo") to three per character and keeps ordinary accents', () => {
    const zalgo = `Z${'\u0301\u0316\u0327\u0350'.repeat(10)}algo`;
    expect(normalizeText(zalgo)).toBe('Z\u0301\u0316\u0327algo');
    expect(normalizeText('Café, Ti\u1ebfng Vi\u1ec7t, ki\u0301\u0323')).toBe('Café, Ti\u1ebfng Vi\u1ec7t, ki\u0301\u0323');
  });
    it('replaces lone surrogates instead of passing broken UTF-16 on', () => {
    expect(normalizeText('a\uD800b')).toBe('a\uFFFDb');
  });
  it('leaves HTML as plain text', () => {
    expect(normalizeText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('textLength', () => {
  it('counts code points, so an emoji is one character', () => {
    expect(textLength('🦊🦊')).toBe(2);
    expect('🦊🦊'.length).toBe(4);
  });
});

describe('decodeClientFrame', () => {
  it('carries "retry" only when true and a clientId names the message', () => {
    expect(decodeClientFrame('{"type":"chat","text":"hi","clientId":"c-1","retry":true}')).toEqual({ ok: true, value: { type: 'chat', text: 'hi', clientId: 'c-1', retry: true } });
    expect(decodeClientFrame('{"type":"chat","text":"hi","clientId":"c-1","retry":false}')).toEqual({ ok: true, value: { type: 'chat', text: 'hi', clientId: 'c-1' } });
    expect(decodeClientFrame('{"type":"chat","text":"hi","retry":true}')).toEqual({ ok: true, value: { type: 'chat', text: 'hi', clientId: undefined } });
    expect(decodeClientFrame('{"type":"chat","text":"hi","clientId":"c-1","retry":"yes"}')).toMatchObject({ ok: false, error: { code: 'invalid_request', clientId: 'c-1' } });
  });

  it('tells marker records from messages', () => {
    const marker = encodeMarkerRecord('lobby', new Date(0));
    expect(isMarkerRecord(marker)).toBe(true);
    expect(decodeChatRecord(marker).ok).toBe(false);
    expect(isMarkerRecord(encodeChatRecord({ id: 'x', room: 'lobby', username: 'QuietFox', text: '{"type":"marker"', timestamp: new Date(0).toISOString() }))).toBe(false);
  });

  it('accepts a chat frame and cleans its text', () => {
    const r = decodeClientFrame(JSON.stringify({ type: 'chat', text: '  hello\u0001 ', clientId: 'c-1' }));
    expect(r).toEqual({ ok: true, value: { type: 'chat', text: 'hello', clientId: 'c-1' } });
  });
  it('rejects invalid JSON, binary, unknown types, empty and too long text with stable codes', () => {
    const code = (raw: string | Uint8Array) => {
      const r = decodeClientFrame(raw);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code('{nope')).toBe('invalid_json');
    expect(code(new Uint8Array([1, 2]))).toBe('invalid_request');
    expect(code('[1]')).toBe('invalid_request');
    expect(code('{"type":"dance"}')).toBe('invalid_request');
    expect(code('{"type":"chat","text":"   "}')).toBe('text_empty');
    expect(code('{"type":"chat","text":5}')).toBe('invalid_request');
    expect(code(JSON.stringify({ type: 'chat', text: 'x'.repeat(501) }))).toBe('text_too_long');
    expect(code(JSON.stringify({ type: 'chat', text: '🦊'.repeat(500) }))).toBe('ok');
    expect(code('{"type":"chat","text":"hi","clientId":"has space"}')).toBe('invalid_client_id');
  });
  it('keeps the clientId on a text error so the sender can match it', () => {
    const r = decodeClientFrame('{"type":"chat","text":"","clientId":"abc"}');
    expect(r.ok ? undefined : r.error.clientId).toBe('abc');
  });
});

describe('redaction records', () => {
  it('round-trip, and anything malformed is refused', () => {
    const r = { id: 'r1', room: 'lobby', target: 4, by: 'moderator:alice', reason: 'spam', timestamp: '2026-11-23T10:00:00.000Z' };
    const encoded = encodeRedactionRecord(r);
    expect(isRedactionRecord(encoded)).toBe(true);
    expect(decodeRedactionRecord(encoded)).toEqual({ ok: true, value: { type: 'redaction', ...r } });
    const bad = [{ ...r, target: -1 }, { ...r, target: 1.5 }, { ...r, target: '4' }, { ...r, room: 'Lobby!' }, { ...r, by: '' }, { ...r, reason: 'x'.repeat(201) }, { ...r, timestamp: 'soon' }];
    for (const b of bad) expect(decodeRedactionRecord(JSON.stringify({ type: 'redaction', ...b })).ok).toBe(false);
    expect(decodeRedactionRecord(encodeChatRecord({ id: 'm', room: 'lobby', username: 'Aa', text: 'hi', timestamp: r.timestamp })).ok).toBe(false);
  });
});

describe('timeout records', () => {
  it('round-trip with a name, a source or both, and anything malformed is refused', () => {
    const base = { id: 't1', room: 'lobby', until: '2026-11-23T11:00:00.000Z', by: 'moderator:mika', timestamp: '2026-11-23T10:00:00.000Z' };
    for (const r of [{ ...base, name: 'LoudBot7' }, { ...base, source: '0123456789abcdef', reason: 'flood' }, { ...base, name: 'LoudBot7', source: '0123456789abcdef' }]) {
      const encoded = encodeTimeoutRecord(r);
      expect(isTimeoutRecord(encoded)).toBe(true);
      expect(decodeTimeoutRecord(encoded)).toEqual({ ok: true, value: { type: 'timeout', ...r } });
    }
    const bad = [base, { ...base, name: 'no spaces allowed' }, { ...base, source: '10.0.0.1' }, { ...base, name: 'Ok', until: 'later' }, { ...base, name: 'Ok', room: 'Lobby!' }];
    for (const b of bad) expect(decodeTimeoutRecord(JSON.stringify({ type: 'timeout', ...b })).ok).toBe(false);
  });
});

describe('room-settings records and the moderate frame', () => {
  it('round-trip slow mode from 0 to 6 hours and refuse anything else', () => {
    const r = { id: 's1', room: 'lobby', slowModeSeconds: 30, by: 'moderator:mika', timestamp: '2026-11-23T10:00:00.000Z' };
    const encoded = encodeRoomSettingsRecord(r);
    expect(isRoomSettingsRecord(encoded)).toBe(true);
    expect(decodeRoomSettingsRecord(encoded)).toEqual({ ok: true, value: { type: 'room-settings', ...r } });
    for (const slowModeSeconds of [-1, 1.5, 21_601, '30']) {
      expect(decodeRoomSettingsRecord(JSON.stringify({ type: 'room-settings', ...r, slowModeSeconds })).ok).toBe(false);
    }
    expect(decodeClientFrame('{"type":"moderate","token":"s3cret"}')).toEqual({ ok: true, value: { type: 'moderate', token: 's3cret' } });
    expect(decodeClientFrame('{"type":"moderate"}').ok).toBe(false);
  });
});

describe('decodeServerFrame', () => {
  it('accepts every server frame type, history pages included, and refuses unknown ones', () => {
    const page = { type: 'history', room: 'lobby', messages: [], remaining: 0 };
    expect(decodeServerFrame(JSON.stringify(page))).toEqual({ ok: true, value: page } as never);
    expect(decodeServerFrame('{"type":"surprise"}').ok).toBe(false);
    expect(decodeServerFrame('not json').ok).toBe(false);
  });
});

describe('packed server frames', () => {
  const chat = (offset: number) => ({ type: 'chat' as const, id: `i${offset}`, room: 'lobby', username: 'SleepyKitsune', text: `m${offset}`, timestamp: '2026-01-01T00:00:00.000Z', offset });
  it('leaves a single frame as it is and packs several into one array, in order', () => {
    const one = encodeFrame(chat(1));
    expect(packFrames([one])).toBe(one);
    const packed = packFrames([one, encodeFrame(chat(2)), encodeFrame({ type: 'typing', room: 'lobby', name: 'A' })]);
    expect(packed.startsWith('[')).toBe(true);
    expect(decodeServerFrames(packed)).toEqual({ ok: true, value: [chat(1), chat(2), { type: 'typing', room: 'lobby', name: 'A' }] } as never);
    expect(decodeServerFrames(one)).toEqual({ ok: true, value: [chat(1)] } as never);
  });
  it('skips unknown frame types inside a pack and refuses packs that are not frames', () => {
    expect(decodeServerFrames(`[{"type":"surprise"},${encodeFrame(chat(3))}]`)).toEqual({ ok: true, value: [chat(3)] } as never);
    for (const bad of ['[1,2]', '[null]', '[[]]', '[{"type":"chat"}', 'not json', '{"type":"surprise"}']) {
      expect(decodeServerFrames(bad).ok).toBe(false);
    }
  });
});

describe('chat records', () => {
  const record = { id: 'i1', room: 'lobby', username: 'SleepyKitsune', text: 'hi', timestamp: '2026-01-01T00:00:00.000Z' };
  it('round-trips through the Kafka value encoding', () => {
    expect(decodeChatRecord(encodeChatRecord(record))).toEqual({ ok: true, value: { ...record, clientId: undefined } });
  });
  it('rejects records that are not chat messages', () => {
    for (const bad of ['', 'garbage', '{}', JSON.stringify({ ...record, room: 'Bad Room' }), JSON.stringify({ ...record, timestamp: 'yesterday' })]) {
      expect(decodeChatRecord(bad).ok).toBe(false);
    }
  });
});

describe('names and rooms', () => {
  it('accepts lowercase slugs up to 32 characters as rooms', () => {
    expect(isValidRoom('isekai-tavern')).toBe(true);
    expect(isValidRoom('a'.repeat(32))).toBe(true);
    for (const bad of ['a'.repeat(33), 'Lobby', 'two  words', '-edge', 'edge-', 'a--b', '', '../etc']) expect(isValidRoom(bad)).toBe(false);
  });
  it('accepts short alphanumeric usernames only', () => {
    expect(isValidUsername('CrimsonRonin42')).toBe(true);
    for (const bad of ['x', 'a'.repeat(33), 'ni ce', '<b>']) expect(isValidUsername(bad)).toBe(false);
  });
});

describe('close codes', () => {
  it('tells clients to reconnect after a restart or slow-consumer close, and to stop after abuse', () => {
    expect(shouldReconnect(CLOSE.serverRestart.code)).toBe(true);
    expect(shouldReconnect(CLOSE.slowConsumer.code)).toBe(true);
    expect(shouldReconnect(1006)).toBe(true);
    expect(shouldReconnect(CLOSE.abuse.code)).toBe(false);
    expect(shouldReconnect(CLOSE.invalidRequest.code)).toBe(false);
  });
});
