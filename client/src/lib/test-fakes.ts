// Test doubles at the edges only: a fake clock with timers, and a fake WebSocket whose server
// side the test drives.
import type { ServerFrame } from '@anime-universe/protocol';
import type { SocketLike } from './connection.ts';

export function makeClock(start = 1_000_000) {
  let t = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    /** Moves time forward, firing due timers in order. */
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        t = Math.max(t, due[1].at);
        due[1].fn();
      }
      t = end;
    },
  };
}

export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closedWith?: number;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // server side
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: ServerFrame) {
    if (this.readyState === 0) this.open(); // a real socket is open before frames arrive
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  /** Several frames in one message, as the server packs what one tick publishes to a room. */
  receivePacked(frames: ServerFrame[]) {
    if (this.readyState === 0) this.open();
    this.onmessage?.({ data: JSON.stringify(frames) });
  }
  drop(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  static latest(): FakeSocket {
    const s = FakeSocket.all[FakeSocket.all.length - 1];
    if (!s) throw new Error('no socket was created');
    return s;
  }
}

export function welcome(over: Partial<Extract<ServerFrame, { type: 'welcome' }>> = {}): ServerFrame {
  return {
    type: 'welcome', username: 'SleepyKitsune', room: 'lobby', token: 'tok-1', history: [], online: 1, epoch: 'epoch-1',
    rooms: ['lobby', 'isekai-tavern'], recovered: false, serverTime: new Date(0).toISOString(),
    limits: { maxTextLength: 500, maxFrameBytes: 8192, messagesPerSecond: 1, burst: 8 }, ...over,
  };
}
