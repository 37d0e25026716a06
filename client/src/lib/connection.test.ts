import { beforeEach, describe, expect, it } from 'bun:test';
import { CLOSE } from '@anime-universe/protocol';
import { makeConnection, type ConnectionState } from './connection.ts';
import { FakeSocket, makeClock, welcome } from './test-fakes.ts';

function setup() {
  const clock = makeClock();
  const states: ConnectionState[] = [];
  const frames: string[] = [];
  const conn = makeConnection({
    url: () => 'ws://x/ws/chat', createSocket: (u) => new FakeSocket(u),
    onFrame: (f) => frames.push(f.type), onState: (s) => states.push(s),
    now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, random: () => 0.5,
    heartbeatMs: 15_000, deadAfterMs: 35_000,
  });
  return { clock, states, frames, conn };
}

beforeEach(() => {
  FakeSocket.all = [];
});

describe('makeConnection', () => {
  it('is connected only once welcome arrives, not when the socket opens', () => {
    const { conn } = setup();
    conn.start();
    FakeSocket.latest().open();
    expect(conn.state().status).toBe('connecting');
    FakeSocket.latest().receive(welcome());
    expect(conn.state().status).toBe('connected');
  });

  it('hands on every frame of a packed message in order, and ignores a message that does not decode', () => {
    const { conn, frames } = setup();
    conn.start();
    FakeSocket.latest().receive(welcome());
    const chat = (offset: number) => ({ type: 'chat' as const, id: `i${offset}`, room: 'lobby', username: 'A', text: 't', timestamp: new Date(0).toISOString(), offset });
    FakeSocket.latest().receivePacked([chat(1), { type: 'typing', room: 'lobby', name: 'B' }, chat(2)]);
    FakeSocket.latest().onmessage?.({ data: '[{"type":"chat"' });
    expect(frames).toEqual(['welcome', 'chat', 'typing', 'chat']);
  });

  it('reconnects with growing delays and never gives up', () => {
    const { conn, clock } = setup();
    conn.start();
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      FakeSocket.latest().drop(1006);
      const s = conn.state();
      if (s.status !== 'waiting') throw new Error(`expected waiting, got ${s.status}`);
      delays.push(s.retryAt - clock.now());
      clock.advance(s.retryAt - clock.now());
      expect(conn.state().status).toBe('connecting');
    }
    expect(FakeSocket.all).toHaveLength(13);
    expect(delays.slice(0, 5)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(Math.max(...delays)).toBe(5000); // half of the 10 s cap with random() = 0.5
  });

  it('resets the backoff when a welcome arrives', () => {
    const { conn } = setup();
    conn.start();
    FakeSocket.latest().drop(1006);
    (conn as unknown as { reconnectNow(): void }).reconnectNow();
    FakeSocket.latest().receive(welcome());
    FakeSocket.latest().drop(CLOSE.serverRestart.code);
    const s = conn.state();
    expect(s.status === 'waiting' && s.attempt).toBe(1);
  });

  it('stops for good on a terminal close code', () => {
    const { conn, clock } = setup();
    conn.start();
    FakeSocket.latest().receive(welcome());
    FakeSocket.latest().drop(CLOSE.abuse.code, 'too many invalid frames');
    expect(conn.state()).toEqual({ status: 'stopped', reason: 'too many invalid frames' });
    clock.advance(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('pings when quiet and reconnects when the server stops answering', () => {
    const { conn, clock } = setup();
    conn.start();
    const first = FakeSocket.latest();
    first.open();
    first.receive(welcome());
    clock.advance(14_000);
    expect(first.sent).toEqual([]); // not quiet long enough yet
    clock.advance(7_000); // the check every 5 s sees 20 s of silence
    expect(first.sent).toContainEqual(expect.objectContaining({ type: 'ping' }));
    expect(conn.state().status).toBe('connected');
    clock.advance(20_000); // still silent past 35 s: dead, and a new attempt follows
    expect(first.closedWith).toBe(1000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(conn.state().status).toBe('connecting');
  });

  it('ignores events from a socket it has already left', () => {
    const { conn, frames } = setup();
    conn.start();
    const old = FakeSocket.latest();
    conn.reconnectNow();
    old.receive(welcome());
    old.drop(1006);
    expect(frames).toEqual([]);
    expect(conn.state().status).toBe('connecting');
  });

  it('sends only while connected', () => {
    const { conn } = setup();
    conn.start();
    const s = FakeSocket.latest();
    s.open();
    expect(conn.send({ type: 'ping' })).toBe(false);
    s.receive(welcome());
    expect(conn.send({ type: 'ping' })).toBe(true);
  });
});

describe('makeConnection when the network goes away', () => {
  it('drops the socket at once and waits to reconnect, instead of trusting a dead socket', () => {
    FakeSocket.all = [];
    const { conn } = setup();
    conn.start();
    const s = FakeSocket.latest();
    s.receive(welcome());
    conn.drop('the browser is offline');
    expect(s.closedWith).toBe(1000);
    expect(conn.state()).toMatchObject({ status: 'waiting', reason: 'the browser is offline' });
    expect(conn.send({ type: 'ping' })).toBe(false);
  });
});
