// A WebSocket test client over a real socket: records every frame and the close, and resolves
// waits for matching frames as soon as they arrive (no polling, so it can time latency).
import { decodeServerFrames, type ServerFrame } from '@anime-universe/protocol';
import { waitFor } from './wait-for.ts';

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

export interface TestClient {
  frames: ServerFrame[];
  /** WebSocket messages received (a packed message holds several frames). */
  messages: number;
  closed: { code: number; reason: string } | undefined;
  send(frame: unknown): void;
  sendRaw(data: string | Uint8Array): void;
  next<T extends ServerFrame['type']>(type: T, match?: (f: Frame<T>) => boolean, what?: string, timeoutMs?: number): Promise<Frame<T>>;
  all<T extends ServerFrame['type']>(type: T): Array<Frame<T>>;
  waitClosed(): Promise<{ code: number; reason: string }>;
  close(): void;
}

interface Waiter {
  test(f: ServerFrame): boolean;
  resolve(f: ServerFrame): void;
}

export async function openClient(baseUrl: string, query: Record<string, string | number | undefined> = {}): Promise<TestClient> {
  const url = new URL('/ws/chat', baseUrl.replace(/^http/, 'ws'));
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  const ws = new WebSocket(url);
  const waiters = new Set<Waiter>();
  const client: TestClient = {
    frames: [],
    messages: 0,
    closed: undefined,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    next(type, match, what, timeoutMs = 10_000) {
      const test = (f: ServerFrame) => f.type === type && (!match || match(f as never));
      const found = client.frames.find(test);
      if (found) return Promise.resolve(found as never);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what ?? `a "${type}" frame`}`));
        }, timeoutMs);
        const waiter: Waiter = {
          test,
          resolve(f) {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(f as never);
          },
        };
        waiters.add(waiter);
      });
    },
    all: (type) => client.frames.filter((f) => f.type === type) as never,
    waitClosed: () => waitFor(() => client.closed, 'the socket to close'),
    close: () => ws.close(),
  };
  ws.onmessage = (e) => {
    client.messages++;
    const decoded = decodeServerFrames(String(e.data)); // the server packs what a tick publishes to a room
    if (!decoded.ok) throw new Error(`the server sent a frame that does not decode: ${String(e.data).slice(0, 200)}`);
    for (const frame of decoded.value) {
      client.frames.push(frame);
      for (const w of [...waiters]) if (w.test(frame)) w.resolve(frame);
    }
  };
  ws.onclose = (e) => {
    client.closed = { code: e.code, reason: e.reason };
  };
  await waitFor(() => ws.readyState === WebSocket.OPEN || client.closed, 'the socket to open');
  if (client.closed) throw new Error(`socket closed while opening: ${client.closed.code}`);
  return client;
}
