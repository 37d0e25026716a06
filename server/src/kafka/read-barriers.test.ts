import { describe, expect, it } from 'bun:test';
import type { Publication, Stored } from './message-log.ts';
import { makeReadBarriers } from './read-barriers.ts';

const stored = (offset: number): Publication => ({ answer: Promise.resolve({ partition: 1, offset }), outcome: Promise.resolve({ partition: 1, offset }) });

describe('read barriers', () => {
  it('share one marker per room and tick, and resolve once the consumer has read past it', async () => {
    const written: string[] = [];
    const b = makeReadBarriers((room) => {
      written.push(room);
      return stored(41);
    }, () => 10);
    let done = 0;
    const both = [b.barrier('lobby'), b.barrier('lobby')].map((p) => p.then(() => done++));
    await Bun.sleep(5);
    expect(written).toEqual(['lobby']);
    b.passed(1, 40);
    b.passed(2, 99); // another partition
    await Bun.sleep(1);
    expect(done).toBe(0);
    b.passed(1, 41);
    await Promise.all(both);
    expect(done).toBe(2);
  });

  it('resolves at once when the consumer is already past the marker, and rejects when it cannot be written', async () => {
    await makeReadBarriers(() => stored(5), () => 6).barrier('lobby');
    const failing = { answer: Promise.reject(new Error('kafka down')), outcome: new Promise<Stored>(() => {}) };
    failing.answer.catch(() => {});
    await expect(makeReadBarriers(() => failing, () => 0).barrier('lobby')).rejects.toThrow('kafka down');
  });
});
