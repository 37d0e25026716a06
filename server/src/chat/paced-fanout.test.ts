import { afterEach, describe, expect, it } from 'bun:test';
import { makePacedFanout, type PacedFanout } from './paced-fanout.ts';

let clock = 0;
const made: PacedFanout[] = [];
afterEach(() => made.splice(0).forEach((f) => f.stop()));

function setup(audience: Record<string, number>, windowMs = 20) {
  const sent: Array<[string, string, number]> = []; // topic, frame, clock when sent
  const fanout = makePacedFanout({ publish: (topic, data) => void sent.push([topic, data, clock]) }, {
    windowMs, minAudience: 100, audience: (topic) => audience[topic] ?? 0, now: () => clock,
  });
  made.push(fanout);
  return { fanout, sent };
}

describe('makePacedFanout', () => {
  it('sends the first frame of a quiet busy room at once and holds the next ones for the rest of the window, in order', async () => {
    clock = 1000;
    const { fanout, sent } = setup({ crowd: 1000 }, 30);
    fanout.publish('crowd', 'a');
    expect(sent.map((s) => s[1])).toEqual(['a']);
    clock = 1010;
    fanout.publish('crowd', 'b');
    fanout.publish('crowd', 'c');
    expect(sent.map((s) => s[1])).toEqual(['a']);
    expect(fanout.held()).toBe(2);
    clock = 1030;
    await Bun.sleep(40); // the window's timer fires
    expect(sent.map((s) => s[1])).toEqual(['a', 'b', 'c']);
    expect(fanout.held()).toBe(0);
    clock = 1100; // quiet for longer than a window: at once again
    fanout.publish('crowd', 'd');
    expect(sent.map((s) => s[1])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never holds back a room with few sockets here, nor anything when the window is 0', () => {
    clock = 0;
    const small = setup({ pair: 2 });
    for (const f of ['a', 'b', 'c']) small.fanout.publish('pair', f);
    expect(small.sent.map((s) => s[1])).toEqual(['a', 'b', 'c']);
    const off = setup({ crowd: 1000 }, 0);
    for (const f of ['a', 'b', 'c']) off.fanout.publish('crowd', f);
    expect(off.sent.map((s) => s[1])).toEqual(['a', 'b', 'c']);
  });

  it('flush sends a held-back room at once (before a snapshot) and keeps other rooms held', () => {
    clock = 5000;
    const { fanout, sent } = setup({ crowd: 1000, other: 500 });
    fanout.publish('crowd', 'a');
    fanout.publish('other', 'x');
    fanout.publish('crowd', 'b');
    fanout.publish('other', 'y');
    fanout.flush('crowd');
    expect(sent.map((s) => `${s[0]}:${s[1]}`)).toEqual(['crowd:a', 'other:x', 'crowd:b']);
    expect(fanout.held()).toBe(1);
    fanout.stop(); // stopping sends everything held
    expect(sent.map((s) => `${s[0]}:${s[1]}`)).toEqual(['crowd:a', 'other:x', 'crowd:b', 'other:y']);
  });
});
