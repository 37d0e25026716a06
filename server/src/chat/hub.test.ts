import { afterEach, describe, expect, it } from 'bun:test';
import { decodeServerFrame, type ChatFrame, type PresenceFrame, type ServerFrame } from '@anime-universe/protocol';
import { makeHub, roomTopic, type Hub } from './hub.ts';
import { makeRoomHistory } from './room-history.ts';

const msg = (offset: number, room = 'lobby') => ({ id: `m${offset}`, room, username: 'U1', text: 'hi', timestamp: 'x', offset });

let clock = 0;
const hubs: Hub[] = [];
afterEach(() => hubs.splice(0).forEach((h) => h.stop()));

function setup() {
  const published: Array<{ topic: string; frame: ServerFrame }> = [];
  const hub = makeHub({
    history: makeRoomHistory(10, 10),
    fanout: { publish: (topic, data) => void published.push({ topic, frame: (decodeServerFrame(data) as { value: ServerFrame }).value }) },
    partitionStart: () => 0,
    presenceIntervalMs: 60_000, // the tests flush by hand
    rejoinGraceMs: 5000,
    now: () => clock,
  });
  hubs.push(hub);
  const presence = (room = 'lobby') => published.filter((p) => p.topic === roomTopic(room) && p.frame.type === 'presence').map((p) => p.frame as PresenceFrame);
  return { hub, published, presence };
}

describe('makeHub', () => {
  it('publishes each stored message once to its room, encoded once, and skips redeliveries', () => {
    const { hub, published } = setup();
    hub.deliver(0, [msg(1), msg(2, 'mecha-hangar')]);
    hub.deliver(0, [msg(1), msg(2, 'mecha-hangar'), msg(3)]); // Kafka redelivery after a consumer restart
    const chats = published.filter((p) => p.frame.type === 'chat').map((p) => [p.topic, (p.frame as ChatFrame).id]);
    expect(chats).toEqual([[roomTopic('lobby'), 'm1'], [roomTopic('mecha-hangar'), 'm2'], [roomTopic('lobby'), 'm3']]);
  });

  it('tells the room about a removal once, after the messages of the same fetch, and blanks it in the history', () => {
    const history = makeRoomHistory(10, 10);
    const published: ServerFrame[] = [];
    const hub = makeHub({ history, fanout: { publish: (_t, data) => void published.push((decodeServerFrame(data) as { value: ServerFrame }).value) }, partitionStart: () => 0 });
    hubs.push(hub);
    const removal = { kind: 'redaction' as const, room: 'lobby', target: 1, by: 'moderator:alice', offset: 2 };
    hub.deliver(0, [msg(0), msg(1)], 2, [removal]);
    hub.deliver(0, [msg(0), msg(1)], 2, [removal]); // read again after a consumer restart
    expect(published.map((f) => f.type)).toEqual(['chat', 'chat', 'redaction']);
    expect(published[2]).toEqual({ type: 'redaction', room: 'lobby', target: 1, by: 'moderator:alice' });
    expect(history.recent('lobby', 2).map((m) => m.text)).toEqual(['hi', '']);
  });

  it('folds a reaction into the held message and announces it once; a repeat (a retry) and a reaction to a removed message are not announced', () => {
    const history = makeRoomHistory(10, 10);
    const published: ServerFrame[] = [];
    const hub = makeHub({ history, fanout: { publish: (_t, data) => void published.push((decodeServerFrame(data) as { value: ServerFrame }).value) }, partitionStart: () => 0 });
    hubs.push(hub);
    const react = (offset: number, target: number, name: string, on = true) => ({ kind: 'reaction' as const, room: 'lobby', target, emoji: '🔥', name, on, offset });
    hub.deliver(0, [msg(0), msg(1)], 3, [react(2, 0, 'Aki'), react(3, 0, 'Aki')]);
    hub.deliver(0, [], 5, [{ kind: 'redaction', room: 'lobby', target: 1, by: 'author', offset: 4 }, react(5, 1, 'Aki')]);
    hub.deliver(0, [], 6, [react(6, 0, 'Aki', false)]);
    expect(published.filter((f) => f.type === 'reaction')).toEqual([
      { type: 'reaction', room: 'lobby', target: 0, emoji: '🔥', name: 'Aki', on: true },
      { type: 'reaction', room: 'lobby', target: 0, emoji: '🔥', name: 'Aki', on: false },
    ]);
    expect(history.find('lobby', 0)?.reactions).toBeUndefined();
    expect(history.changedSince('lobby', 1, 10).map((m) => m.offset)).toEqual([0, 1]);
  });

  it('sends an acknowledged message of its own at once when it follows what was delivered, and never twice', () => {
    const { hub, published } = setup();
    const chats = () => published.filter((p) => p.frame.type === 'chat').map((p) => (p.frame as ChatFrame).offset);
    hub.deliver(0, [msg(0)], 0);
    hub.deliverAcknowledged(0, msg(1)); // directly after offset 0: sent now
    expect(chats()).toEqual([0, 1]);
    hub.deliverAcknowledged(0, msg(3)); // offset 2 (another instance's) not read yet: left to the log reader
    expect(chats()).toEqual([0, 1]);
    hub.deliver(0, [msg(1), msg(2), msg(3)], 3); // the log reader: 1 was sent already
    expect(chats()).toEqual([0, 1, 2, 3]);
    hub.deliver(0, [], 5); // offsets 4 and 5 did not decode and were skipped
    hub.deliverAcknowledged(0, msg(6));
    expect(chats()).toEqual([0, 1, 2, 3, 6]);
  });

  it('coalesces presence: one frame per room per interval listing who joined and left', () => {
    const { hub, presence } = setup();
    for (let i = 0; i < 2000; i++) hub.join({ username: `User${i}`, room: 'lobby' });
    hub.join({ username: 'Other', room: 'spirit-forest' });
    hub.flushPresence();
    expect(presence()).toHaveLength(1);
    expect(presence()[0]?.joined).toHaveLength(2000);
    expect(presence()[0]?.online).toBe(2000);
    expect(presence('spirit-forest').map((p) => p.joined)).toEqual([['Other']]);
    hub.flushPresence(); // nothing new: nothing sent
    expect(presence()).toHaveLength(1);
  });

  it('announces a name once however many tabs it has, and its leave only after the grace', () => {
    const { hub, presence } = setup();
    hub.join({ username: 'A', room: 'lobby' });
    hub.join({ username: 'A', room: 'lobby' });
    hub.flushPresence();
    hub.leave({ username: 'A', room: 'lobby' });
    expect(hub.isOnline('A')).toBe(true);
    hub.leave({ username: 'A', room: 'lobby' });
    expect(hub.isOnline('A')).toBe(false);
    hub.flushPresence();
    expect(presence().map((p) => [p.joined, p.left])).toEqual([[['A'], []]]);
    clock += 5000;
    hub.flushPresence();
    expect(presence().map((p) => [p.joined, p.left, p.online])).toEqual([[['A'], [], 1], [[], ['A'], 0]]);
    expect(hub.connectionCount()).toBe(0);
    expect(hub.roomCounts()).toEqual({});
  });

  it('does not announce a name that leaves and comes back within the grace, or joins and leaves unseen', () => {
    const { hub, presence } = setup();
    hub.join({ username: 'A', room: 'lobby' });
    hub.flushPresence();
    hub.leave({ username: 'A', room: 'lobby' });
    clock += 2000;
    hub.join({ username: 'A', room: 'lobby' }); // a reconnect
    hub.join({ username: 'Flash', room: 'lobby' });
    hub.leave({ username: 'Flash', room: 'lobby' });
    clock += 10_000;
    hub.flushPresence();
    expect(presence()).toHaveLength(1);
    expect(hub.online('lobby')).toBe(1);
  });

  it('counts and announces names online on other instances too, and drops them when they go', () => {
    const elsewhere = new Set(['Remote1']);
    const published: ServerFrame[] = [];
    const hub = makeHub({
      history: makeRoomHistory(10, 10), fanout: { publish: (_t, data) => void published.push((decodeServerFrame(data) as { value: ServerFrame }).value) },
      partitionStart: () => 0, presenceIntervalMs: 60_000, now: () => clock, remote: (room) => (room === 'lobby' ? elsewhere : new Set()),
    });
    hubs.push(hub);
    hub.join({ username: 'Local1', room: 'lobby' });
    expect(hub.online('lobby')).toBe(2);
    expect(hub.users('lobby', undefined, 10)).toEqual(['Local1', 'Remote1']);
    hub.flushPresence();
    elsewhere.add('Remote2');
    elsewhere.add('Local1'); // also online on another instance: one name
    hub.flushPresence();
    elsewhere.delete('Remote1');
    hub.flushPresence();
    const frames = published.filter((f): f is PresenceFrame => f.type === 'presence').map((p) => [p.joined, p.left, p.online]);
    expect(frames).toEqual([[['Local1'], [], 2], [['Remote2'], [], 3], [[], ['Remote1'], 2]]);
    // Leaving here while still online elsewhere is no leave at all.
    hub.leave({ username: 'Local1', room: 'lobby' });
    clock += 10_000;
    hub.flushPresence();
    expect(published.filter((f) => f.type === 'presence')).toHaveLength(3);
    expect(hub.nameRooms()).toEqual(new Map());
  });

  it('moves a renamed socket to its new name without announcing a join or a leave', () => {
    const { hub, presence } = setup();
    const member = { username: 'OldName', room: 'lobby' };
    hub.join(member);
    hub.join({ username: 'Other', room: 'lobby' });
    hub.flushPresence();
    hub.rename(member, 'NewName');
    clock += 10_000;
    hub.flushPresence();
    expect(presence()).toHaveLength(1); // only the first joins
    expect(hub.users('lobby', undefined, 10)).toEqual(['NewName', 'Other']);
    expect([hub.isOnline('OldName'), hub.isOnline('NewName')]).toEqual([false, true]);
    hub.leave({ username: 'NewName', room: 'lobby' });
    clock += 10_000;
    hub.flushPresence();
    expect(presence().at(-1)?.left).toEqual(['NewName']);
  });

  it('pages the names in a room in order', () => {
    const { hub } = setup();
    for (const name of ['Cc', 'Aa', 'Bb', 'Dd']) hub.join({ username: name, room: 'lobby' });
    expect(hub.users('lobby', undefined, 2)).toEqual(['Aa', 'Bb']);
    expect(hub.users('lobby', 'Bb', 2)).toEqual(['Cc', 'Dd']);
    expect(hub.users('lobby', 'Dd', 2)).toEqual([]);
    expect(hub.users('nowhere', undefined, 2)).toEqual([]);
  });

  it('counts connections per room', () => {
    const { hub } = setup();
    hub.join({ username: 'A', room: 'lobby' });
    hub.join({ username: 'B', room: 'x' });
    expect(hub.connectionCount()).toBe(2);
    expect(hub.roomCounts()).toEqual({ lobby: 1, x: 1 });
  });
});
