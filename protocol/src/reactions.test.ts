import { describe, expect, it } from 'bun:test';
import {
  applyReaction, decodeClientFrame, decodeReactionRecord, encodeReactionRecord, isReactionRecord, MAX_REACTION_KINDS, reactionCounts, reactionEmoji, type Reactions,
} from './index.ts';

describe('reactionEmoji', () => {
  it('accepts one emoji, including flags, skin tones and joined sequences', () => {
    for (const e of ['👍', '❤️', '🍥', '🇯🇵', '👩🏽‍💻', '⚔️']) expect(reactionEmoji(e)).toBe(e);
  });
  it('adds the emoji presentation selector to a text-style symbol', () => {
    expect(reactionEmoji('❤')).toBe('❤️');
  });
  it('refuses text, two emoji and empty input', () => {
    for (const e of ['a', 'lol', '👍👍', '', ' ', '<b>', '1']) expect(reactionEmoji(e)).toBeUndefined();
  });
});

describe('applyReaction', () => {
  it('adds a name once: adding again (a retry) returns the same object', () => {
    const one = applyReaction(undefined, '🔥', 'Aki', true);
    expect(one).toEqual({ '🔥': ['Aki'] });
    expect(applyReaction(one, '🔥', 'Aki', true)).toBe(one);
    expect(applyReaction(one, '🔥', 'Rin', true)).toEqual({ '🔥': ['Aki', 'Rin'] });
  });
  it('takes a reaction back; the last one gone leaves no reactions at all', () => {
    const two = applyReaction(applyReaction(undefined, '🔥', 'Aki', true), '🌸', 'Rin', true);
    expect(applyReaction(two, '🔥', 'Aki', false)).toEqual({ '🌸': ['Rin'] });
    expect(applyReaction(applyReaction(two, '🔥', 'Aki', false), '🌸', 'Rin', false)).toBeUndefined();
    expect(applyReaction(two, '🔥', 'Nobody', false)).toBe(two);
  });
  it('refuses a new kind beyond the limit but still counts existing ones', () => {
    let r: Reactions | undefined;
    const emoji = ['👍', '❤️', '😂', '😮', '😭', '🔥', '✨', '🌸', '🍥', '🙏', '🎉', '👀', '💯'];
    for (const e of emoji) r = applyReaction(r, e, 'Aki', true);
    expect(Object.keys(r ?? {})).toHaveLength(MAX_REACTION_KINDS);
    expect(r?.['💯']).toBeUndefined();
    expect(applyReaction(r, '👍', 'Rin', true)?.['👍']).toEqual(['Aki', 'Rin']);
  });
  it('counts in the order the emoji first appeared', () => {
    const r = applyReaction(applyReaction(applyReaction(undefined, '🌸', 'A1', true), '🔥', 'B2', true), '🌸', 'C3', true);
    expect(reactionCounts(r)).toEqual([{ emoji: '🌸', count: 2, names: ['A1', 'C3'] }, { emoji: '🔥', count: 1, names: ['B2'] }]);
  });
});

describe('reaction frames and records', () => {
  it('decodes a react frame and refuses a bad one with a stable code and its clientId', () => {
    expect(decodeClientFrame('{"type":"react","target":4,"emoji":"🔥","on":true,"clientId":"r-1"}'))
      .toEqual({ ok: true, value: { type: 'react', target: 4, emoji: '🔥', on: true, clientId: 'r-1' } });
    const bad = decodeClientFrame('{"type":"react","target":4,"emoji":"lol","on":true,"clientId":"r-2"}');
    expect(bad.ok ? undefined : bad.error).toEqual({ code: 'invalid_reaction', message: '"emoji" must be one emoji.', clientId: 'r-2' });
    const noTarget = decodeClientFrame('{"type":"react","target":-1,"emoji":"🔥","on":true}');
    expect(noTarget.ok ? undefined : noTarget.error.code).toBe('invalid_request');
    const noOn = decodeClientFrame('{"type":"react","target":1,"emoji":"🔥","on":"yes"}');
    expect(noOn.ok ? undefined : noOn.error.code).toBe('invalid_request');
  });
  it('round-trips a reaction record and rejects a malformed one', () => {
    const record = { id: 'x', room: 'lobby', target: 3, emoji: '🍥', name: 'Aki', on: true, clientId: 'c-1', timestamp: '2026-11-23T10:00:00.000Z' };
    const encoded = encodeReactionRecord(record);
    expect(isReactionRecord(encoded)).toBe(true);
    expect(decodeReactionRecord(encoded)).toEqual({ ok: true, value: { type: 'reaction', ...record } });
    expect(decodeReactionRecord(encoded.replace('🍥', 'no')).ok).toBe(false);
    expect(decodeReactionRecord(encoded.replace('"Aki"', '"A k"')).ok).toBe(false);
    expect(decodeReactionRecord(encoded.replace('"target":3', '"target":"3"')).ok).toBe(false);
  });
});
