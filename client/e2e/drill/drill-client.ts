// One chat user for fault drills: the web client's own logic (makeChatClient: outbox, pacing,
// resume with token, `since` and epoch, reconnect with jittered backoff) over real sockets, with
// a tap on the wire that records every welcome and message offset as it arrived. Like a load
// balancer, each new socket goes to the next server when the last one closed or never opened.
import { decodeServerFrames, type ChatMessage, type ServerFrame } from '@anime-universe/protocol';
import { makeChatClient, type ChatClient } from '../../src/lib/chat-client.ts';
import type { SocketLike } from '../../src/lib/connection.ts';
import type { Seen } from './history-check.ts';

export interface DrillClient {
  name: string;
  room: string;
  chat: ChatClient;
  seen: Seen[];
  /** clientIds written, and those that came back stored (the sender's acknowledgement). */
  written: string[];
  acknowledged: Set<string>;
  /** Error frames by code. */
  errors: Map<string, number>;
  /** Sockets opened, and items the user had to retry by hand after they showed "failed". */
  sockets: number;
  manualRetries: number;
  /** Messages that came in the history of a resume (`recovered: true`) after a reconnect. */
  resumed: number;
  write(): void;
  /** What a patient user does: press "retry" on anything shown as failed. */
  retryFailed(): void;
  newestOffset(): number;
}

export function drillClient(name: string, room: string, origins: string[], firstServer: number): DrillClient {
  let target = firstServer % origins.length;
  let n = 0;
  const store = new Map<string, string>([['anime-universe.room', room]]);
  const self: DrillClient = {
    name, room, seen: [], written: [], acknowledged: new Set(), errors: new Map(), sockets: 0, manualRetries: 0, resumed: 0,
    chat: undefined as unknown as ChatClient,
    write() {
      const problem = self.chat.send(`${name} line ${self.written.length + 1}`);
      if (problem) throw new Error(`the client refused to queue a message: ${problem}`);
    },
    retryFailed() {
      for (const item of self.chat.snapshot().outbox) {
        if (item.state !== 'failed') continue;
        self.manualRetries++;
        self.chat.retry(item.clientId);
      }
    },
    newestOffset() {
      for (let i = self.seen.length - 1; i >= 0; i--) {
        const s = self.seen[i];
        if (s?.kind === 'message') return s.offset;
      }
      return -1;
    },
  };
  // A welcome with a backfill is seen as the client places it: once its last page is here, the
  // pages (oldest first), the welcome's history, then the live messages that came meanwhile. A
  // backfill cut off by a disconnect is dropped; the client resumes from the same offset again.
  let backfill: { head: ChatMessage[]; pages: ChatMessage[][]; live: ChatMessage[] } | undefined;
  const tap = (frame: ServerFrame) => {
    if (frame.type === 'welcome') {
      backfill = undefined;
      if (frame.recovered && self.seen.length > 0) self.resumed += frame.history.length + (frame.backfill ?? 0);
      self.seen.push({ kind: 'welcome', recovered: frame.recovered && !frame.reset }); // reset: older ones are for scrollback
      if (frame.backfill) backfill = { head: frame.history, pages: [], live: [] };
      else for (const m of frame.history) seenMessage(m.offset, m.clientId);
    } else if (frame.type === 'history' && frame.room === room && backfill) {
      backfill.pages.unshift(frame.messages);
      if (frame.remaining > 0) return;
      for (const m of [...backfill.pages.flat(), ...backfill.head, ...backfill.live]) seenMessage(m.offset, m.clientId);
      backfill = undefined;
    } else if (frame.type === 'chat' && frame.room === room) {
      if (backfill) backfill.live.push(frame);
      else seenMessage(frame.offset, frame.clientId);
    } else if (frame.type === 'error') {
      self.errors.set(frame.code, (self.errors.get(frame.code) ?? 0) + 1);
    }
  };
  const mine = new Set<string>();
  const seenMessage = (offset: number, clientId: string | undefined) => {
    self.seen.push({ kind: 'message', offset });
    if (clientId && mine.has(clientId)) self.acknowledged.add(clientId);
  };
  self.chat = makeChatClient({
    wsOrigin: 'ws://drill.invalid',
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    newId() {
      const id = `${name}-${++n}`;
      self.written.push(id);
      mine.add(id);
      return id;
    },
    onChange() {},
    createSocket(url) {
      const real = new URL(url);
      const origin = new URL(origins[target] as string);
      real.host = origin.host;
      const ws = new WebSocket(real);
      self.sockets++;
      // Frames are recorded only while the client listens to this socket (it detaches old ones).
      const socket: SocketLike = {
        get readyState() {
          return ws.readyState;
        },
        onopen: null, onmessage: null, onclose: null, onerror: null,
        send: (data) => ws.send(data),
        close: (code, reason) => ws.close(code, reason),
      };
      ws.onopen = (e) => socket.onopen?.(e);
      ws.onerror = (e) => socket.onerror?.(e);
      ws.onmessage = (e) => {
        if (!socket.onmessage) return;
        const frames = decodeServerFrames(String(e.data));
        if (frames.ok) for (const frame of frames.value) tap(frame);
        socket.onmessage(e);
      };
      ws.onclose = (e) => {
        target = (target + 1) % origins.length;
        socket.onclose?.(e);
      };
      return socket;
    },
  });
  return self;
}
