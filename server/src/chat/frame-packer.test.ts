import { describe, expect, it } from 'bun:test';
import { decodeServerFrames, encodeFrame } from '@anime-universe/protocol';
import { makeFramePacker } from './frame-packer.ts';
import { makePacedFanout } from './paced-fanout.ts';

const typing = (name: string) => encodeFrame({ type: 'typing', room: 'lobby', name });
const names = (data: string) => {
  const frames = decodeServerFrames(data);
  if (!frames.ok) throw new Error(frames.error.message);
  return frames.value.map((f) => (f.type === 'typing' ? f.name : f.type));
};

function setup(maxBytes?: number) {
  const sent: Array<[string, string]> = [];
  const ticks: Array<() => void> = [];
  const packer = makeFramePacker({ publish: (topic, data) => void sent.push([topic, data]) }, {
    ...(maxBytes ? { maxBytes } : {}), later: (run) => void ticks.push(run),
  });
  const endTick = () => ticks.splice(0).forEach((run) => run());
  return { packer, sent, endTick, ticks };
}

describe('makeFramePacker', () => {
  it('sends what one tick publishes to a room as one message, in order, and a lone frame unchanged', () => {
    const { packer, sent, endTick, ticks } = setup();
    packer.publish('room:a', typing('A1'));
    packer.publish('room:b', typing('B1'));
    packer.publish('room:a', typing('A2'));
    packer.publish('room:a', typing('A3'));
    expect(sent).toEqual([]);
    expect(ticks).toHaveLength(1); // one flush per tick, whatever the number of rooms
    expect(packer.held()).toBe(4);
    endTick();
    expect(sent.map(([t]) => t)).toEqual(['room:a', 'room:b']);
    expect(names(sent[0]?.[1] as string)).toEqual(['A1', 'A2', 'A3']);
    expect(sent[1]?.[1]).toBe(typing('B1')); // not wrapped
    expect(packer.held()).toBe(0);
    packer.publish('room:a', typing('A4'));
    endTick();
    expect(sent[2]).toEqual(['room:a', typing('A4')]);
  });

  it('flush sends one room now (before a snapshot) and leaves the others for the end of the tick', () => {
    const { packer, sent, endTick } = setup();
    packer.publish('room:a', typing('A1'));
    packer.publish('room:b', typing('B1'));
    packer.publish('room:a', typing('A2'));
    packer.flush('room:a');
    expect(sent.map(([t, d]) => [t, names(d)])).toEqual([['room:a', ['A1', 'A2']]]);
    packer.publish('room:a', typing('A3')); // after the snapshot: a new message, never the old one again
    endTick();
    expect(sent.map(([t, d]) => [t, names(d)])).toEqual([['room:a', ['A1', 'A2']], ['room:b', ['B1']], ['room:a', ['A3']]]);
  });

  it('starts a new message when a pack would pass its byte limit, keeping the order', () => {
    const { packer, sent, endTick } = setup(100);
    const frames = Array.from({ length: 7 }, (_, i) => typing(`Name${i}`)); // about 45 bytes each
    for (const f of frames) packer.publish('room:a', f);
    endTick();
    expect(sent.length).toBeGreaterThan(2);
    for (const [, data] of sent) expect(data.length).toBeLessThanOrEqual(100 + 2);
    expect(sent.flatMap(([, d]) => names(d))).toEqual(frames.map((_, i) => `Name${i}`));
  });

  it('stop sends everything held', () => {
    const { packer, sent } = setup();
    packer.publish('room:a', typing('A1'));
    packer.publish('room:b', typing('B1'));
    packer.stop();
    expect(sent.map(([t]) => t)).toEqual(['room:a', 'room:b']);
    expect(packer.held()).toBe(0);
  });

  it('runs on its own after the tick with the default scheduler', async () => {
    const sent: string[] = [];
    const packer = makeFramePacker({ publish: (_topic, data) => void sent.push(data) });
    packer.publish('room:a', typing('A1'));
    packer.publish('room:a', typing('A2'));
    expect(sent).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    await Bun.sleep(0);
    expect(sent.map(names)).toEqual([['A1', 'A2']]);
  });

  it('under a paced fan-out, a settle of the room also sends what the packer holds', () => {
    const { packer, sent } = setup();
    const paced = makePacedFanout(packer, { windowMs: 0, minAudience: 1, audience: () => 1000 });
    paced.publish('room:a', typing('A1'));
    paced.flush('room:a');
    expect(sent.map(([t, d]) => [t, names(d)])).toEqual([['room:a', ['A1']]]);
    const windowed = makePacedFanout(packer, { windowMs: 50, minAudience: 100, audience: () => 2 });
    windowed.publish('room:b', typing('B1')); // a small room: straight to the packer
    windowed.flush('room:b');
    expect(sent.map(([t]) => t)).toEqual(['room:a', 'room:b']);
    windowed.stop();
  });
});
