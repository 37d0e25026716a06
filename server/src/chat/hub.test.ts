import { describe, expect, it } from 'bun:test';
import type { ServerFrame } from '@anime-universe/protocol';
import { makeHub, type Connection } from './hub.ts';
import { makeRoomHistory } from './room-history.ts';

let ids = 0;
function fakeConn(username: string, room = 'lobby'): Connection & { got: ServerFrame[] } {
  const got: ServerFrame[] = [];
  return { id: ++ids, username, room, ip: '127.0.0.1', watermark: -1, got, send: (f) => got.push(f), close() {} };
}
const msg = (offset: number, room = 'lobby') => ({ id: `m${offset}`, room, username: 'U1', text: 'hi', timestamp: 'x', offset });

describe('makeHub', () => {
  it('sends each consumed message once to every socket in its room and nowhere else', () => {
    const hub = makeHub(makeRoomHistory(10, 10));
    const a = fakeConn('A'), b = fakeConn('B'), other = fakeConn('C', 'mecha-hangar');
    [a, b, other].forEach(hub.join);
    hub.deliver(msg(1), 0);
    hub.deliver(msg(1), 0); // Kafka redelivery after a consumer restart
    const chats = (c: { got: ServerFrame[] }) => c.got.filter((f) => f.type === 'chat').map((f) => (f as { id: string }).id);
    expect(chats(a)).toEqual(['m1']);
    expect(chats(b)).toEqual(['m1']);
    expect(chats(other)).toEqual([]);
  });
  it('skips messages at or below a socket watermark (already sent in a resume)', () => {
    const hub = makeHub(makeRoomHistory(10, 10));
    const a = fakeConn('A');
    a.watermark = 5;
    hub.join(a);
    hub.deliver(msg(4), 0);
    hub.deliver(msg(6), 0);
    expect(a.got.filter((f) => f.type === 'chat').map((f) => (f as { offset: number }).offset)).toEqual([6]);
  });
  it('announces a join and a leave once per name, with the online count', () => {
    const hub = makeHub(makeRoomHistory(10, 10));
    const watcher = fakeConn('W');
    hub.join(watcher);
    const tab1 = fakeConn('A'), tab2 = fakeConn('A');
    hub.join(tab1);
    hub.join(tab2);
    hub.leave(tab1);
    expect(hub.isOnline('A')).toBe(true);
    hub.leave(tab2);
    expect(hub.isOnline('A')).toBe(false);
    const presence = watcher.got.filter((f) => f.type === 'presence') as Array<{ event: string; online: number; username: string }>;
    expect(presence.map((p) => [p.event, p.username, p.online])).toEqual([['join', 'A', 2], ['leave', 'A', 1]]);
  });
  it('counts connections per room', () => {
    const hub = makeHub(makeRoomHistory(10, 10));
    hub.join(fakeConn('A'));
    hub.join(fakeConn('B', 'x'));
    expect(hub.connectionCount()).toBe(2);
    expect(hub.roomCounts()).toEqual({ lobby: 1, x: 1 });
  });
});
