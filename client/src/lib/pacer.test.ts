import { describe, expect, it } from 'bun:test';
import { makePacer } from './pacer.ts';

describe('makePacer', () => {
  it('allows the burst, then one message per 1/rate seconds, like the server', () => {
    let t = 0;
    const pacer = makePacer(() => t);
    expect(pacer.take()).toBe(true); // no limits known yet: nothing to mirror
    pacer.reset({ maxTextLength: 500, maxFrameBytes: 8192, messagesPerSecond: 2, burst: 3 });
    expect([pacer.take(), pacer.take(), pacer.take(), pacer.take()]).toEqual([true, true, true, false]);
    expect(pacer.nextAt()).toBe(500);
    t = 499;
    expect(pacer.take()).toBe(false);
    t = 500;
    expect(pacer.take()).toBe(true);
    pacer.drain();
    expect(pacer.nextAt()).toBe(1000);
  });
});
