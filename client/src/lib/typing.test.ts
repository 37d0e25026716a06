import { describe, expect, it } from 'bun:test';
import { makeTypers, TYPING_SEND_EVERY_MS, TYPING_SHOWN_MS, typingLine } from './typing.ts';

describe('typing', () => {
  it('shows a name for a few seconds unless renewed, and drops it when its message arrives', () => {
    let t = 0;
    const typers = makeTypers(() => t);
    typers.typing('Aki');
    typers.typing('Rin');
    expect(typers.names()).toEqual(['Aki', 'Rin']);
    typers.done('Rin');
    expect(typers.names()).toEqual(['Aki']);
    t = TYPING_SHOWN_MS - 1;
    typers.typing('Mio');
    t = TYPING_SHOWN_MS;
    expect(typers.names()).toEqual(['Mio']);
  });
  it('says who is typing in a short line', () => {
    expect(typingLine([])).toBe('');
    expect(typingLine(['Aki'])).toBe('Aki is typing…');
    expect(typingLine(['Aki', 'Rin'])).toBe('Aki and Rin are typing…');
    expect(typingLine(['Aki', 'Rin', 'Mio'])).toBe('Several people are typing…');
  });
  it('sends my own signal at most every few seconds', () => {
    let t = 10_000;
    const typers = makeTypers(() => t);
    expect(typers.shouldSend()).toBe(true);
    t += TYPING_SEND_EVERY_MS - 1;
    expect(typers.shouldSend()).toBe(false);
    t += 1;
    expect(typers.shouldSend()).toBe(true);
  });
});
