import { describe, expect, it } from 'bun:test';
import type { ChatMessage } from '@anime-universe/protocol';
import { makeRoomHistory } from '../chat/room-history.ts';
import { makeHistoryView } from './history-view.ts';
import { openReadModel } from './read-model.ts';

const msg = (room: string, offset: number): ChatMessage => ({
  id: `${room}-${offset}`, room, username: 'QuietFox', text: `t${offset}`, timestamp: '2026-11-23T10:00:00.000Z', offset,
});
const offsets = (ms: ChatMessage[]) => ms.map((m) => m.offset);

/** A process that restarted at `position`: the read model holds 0..position-1, the cache what came after. */
function restartedAt(position: number, consumedAfter: number[], earlyDelivered: number[] = []) {
  const rm = openReadModel(':memory:', { topic: 't', epoch: 'e' });
  rm.begin(new Map([[0, 0]]));
  rm.apply(0, Array.from({ length: position }, (_, i) => msg('lobby', i)), position - 1);
  const cache = makeRoomHistory(50, 10);
  for (const o of [...consumedAfter, ...earlyDelivered]) cache.add(msg('lobby', o), position);
  rm.apply(0, consumedAfter.map((o) => msg('lobby', o)), consumedAfter.at(-1) ?? position - 1);
  return makeHistoryView(cache, () => rm, () => 0);
}

describe('the history a welcome reads', () => {
  it('after a restart, shows the newest messages from the read model before anything new arrived', () => {
    const view = restartedAt(100, []);
    expect(offsets(view.recent('lobby', 5))).toEqual([95, 96, 97, 98, 99]);
    expect(view.latestOffset('lobby')).toBe(99);
  });

  it('resumes from long before the restart exactly: stored rows, then what the cache got since', () => {
    const view = restartedAt(1000, [1000, 1001], [1002]); // 1002 shown on acknowledgement, not read back yet
    const r = view.since('lobby', 10, 5000);
    expect(r.complete).toBe(true);
    expect(offsets(r.messages)).toEqual(Array.from({ length: 992 }, (_, i) => 11 + i));
  });

  it('joins the newest stored messages to the cached ones without a hole', () => {
    const view = restartedAt(100, [100, 101, 102]);
    expect(offsets(view.recent('lobby', 6))).toEqual([97, 98, 99, 100, 101, 102]);
  });

  it('says a resume is incomplete when it asks for more than allowed', () => {
    const view = restartedAt(1000, []);
    expect(view.since('lobby', 10, 100).complete).toBe(false);
  });
});
