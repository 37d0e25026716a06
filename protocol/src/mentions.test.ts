import { describe, expect, it } from 'bun:test';
import { isValidUsername, mentionedNames, mentionPrefix, mentions, mentionSpans } from './index.ts';

describe('mentions', () => {
  it('finds @names at the start, after spaces and punctuation, each once and without case', () => {
    expect(mentionedNames('@Aki hi, (@rin) and @AKI again!')).toEqual(['aki', 'rin']);
    expect(mentions('thanks @SleepyKitsune!', 'sleepykitsune')).toBe(true);
    expect(mentions('thanks @SleepyKitsune2', 'SleepyKitsune')).toBe(false); // another, longer name
  });
  it('does not see mentions inside addresses or words', () => {
    expect(mentionedNames('mail me@example.com or visit x.com/@someone and a@b')).toEqual([]);
    expect(mentionedNames('@a is too short')).toEqual([]);
  });
  it('gives the spans to highlight and the prefix being typed', () => {
    expect(mentionSpans('hey @Rin_2, look')).toEqual([{ start: 4, end: 10, name: 'Rin_2' }]);
    expect(mentionPrefix('hello @Sle')).toBe('Sle');
    expect(mentionPrefix('@')).toBe('');
    expect(mentionPrefix('mail a@b')).toBeUndefined();
    expect(mentionPrefix('@Sle done')).toBeUndefined();
  });
  it('keeps crowd words from ever being names, so @everyone reaches nobody', () => {
    for (const n of ['everyone', 'Here', 'ALL', 'channel', 'room']) expect(isValidUsername(n)).toBe(false);
    expect(isValidUsername('Everyone2')).toBe(true);
  });
});
