// A WebSocket test client over a real socket: records every frame and the close, and waits
// for frames matching a predicate.
import type { ServerFrame } from '../protocol/index.ts';
import { waitFor } from './wait-for.ts';

export interface TestClient {
  frames: ServerFrame[];
  closed: { code: number; reason: string } | undefined;
  send(frame: unknown): void;
  sendRaw(data: string | Uint8Array): void;
  next<T extends ServerFrame['type']>(type: T, match?: (f: Extract<ServerFrame, { type: T }>) => boolean, what?: string): Promise<Extract<ServerFrame, { type: T }>>;
  all<T extends ServerFrame['type']>(type: T): Array<Extract<ServerFrame, { type: T }>>;
  waitClosed(): Promise<{ code: number; reason: string }>;
  close(): void;
}

export async function openClient(baseUrl: string, query: Record<string, string | number | undefined> = {}): Promise<TestClient> {
  const url = new URL('/ws/chat', baseUrl.replace(/^http/, 'ws'));
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  const ws = new WebSocket(url);
  const client: TestClient = {
    frames: [],
    closed: undefined,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    next(type, match, what) {
      return waitFor(
        () => client.frames.find((f) => f.type === type && (!match || match(f as never))) as never,
        what ?? `a "${type}" frame`,
      );
    },
    all: (type) => client.frames.filter((f) => f.type === type) as never,
    waitClosed: () => waitFor(() => client.closed, 'the socket to close'),
    close: () => ws.close(),
  };
  ws.onmessage = (e) => client.frames.push(JSON.parse(String(e.data)));
  ws.onclose = (e) => {
    client.closed = { code: e.code, reason: e.reason };
  };
  await waitFor(() => ws.readyState === WebSocket.OPEN || client.closed, 'the socket to open');
  if (client.closed) throw new Error(`socket closed while opening: ${client.closed.code}`);
  return client;
}
