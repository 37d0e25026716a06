// The WebSocket connection as a framework-free state machine: connecting -> connected ->
// waiting (reconnect countdown) or stopped. Every way a socket can end goes through one
// disconnect funnel; callbacks from stale sockets are ignored; attempts reset on `welcome`
// (not on open) so a server that accepts and drops at once still backs off.
import { decodeServerFrames, encodeFrame, shouldReconnect, type ClientFrame, type ServerFrame } from '@anime-universe/protocol';
import { backoffDelay } from './backoff.ts';

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected' }
  | { status: 'waiting'; retryAt: number; attempt: number; reason: string }
  | { status: 'stopped'; reason: string };

export interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface ConnectionDeps {
  url(): string;
  createSocket(url: string): SocketLike;
  onFrame(frame: ServerFrame): void;
  onState(state: ConnectionState): void;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
  /** Send a ping after this much silence; declare the socket dead after `deadAfterMs`. */
  heartbeatMs?: number;
  deadAfterMs?: number;
}

export interface Connection {
  start(): void;
  /** Close and reconnect at once (room switch, browser back online). */
  reconnectNow(): void;
  /** The network is gone (browser offline): drop the socket and wait with backoff. */
  drop(reason: string): void;
  stop(reason?: string): void;
  send(frame: ClientFrame): boolean;
  state(): ConnectionState;
}

const OPEN = 1;

export function makeConnection(d: ConnectionDeps): Connection {
  const now = d.now ?? Date.now;
  const setTimer = d.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = d.clearTimer ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
  const heartbeatMs = d.heartbeatMs ?? 15_000;
  const deadAfterMs = d.deadAfterMs ?? 35_000;
  let socket: SocketLike | undefined;
  let state: ConnectionState = { status: 'stopped', reason: 'not started' };
  let attempt = 0;
  let retryTimer: unknown;
  let beatTimer: unknown;
  let lastHeard = 0;

  const setState = (next: ConnectionState) => {
    state = next;
    d.onState(next);
  };

  const clearTimers = () => {
    if (retryTimer !== undefined) clearTimer(retryTimer);
    if (beatTimer !== undefined) clearTimer(beatTimer);
    retryTimer = beatTimer = undefined;
  };

  // The one place a socket ends: detach it so its late callbacks are ignored, then decide.
  const disconnect = (reason: string, retry: boolean) => {
    const old = socket;
    socket = undefined;
    clearTimers();
    if (old) {
      old.onopen = old.onmessage = old.onclose = old.onerror = null;
      if (old.readyState <= OPEN) old.close(1000, reason);
    }
    if (!retry) return setState({ status: 'stopped', reason });
    const delay = backoffDelay(attempt, d.random);
    attempt += 1;
    setState({ status: 'waiting', retryAt: now() + delay, attempt, reason });
    retryTimer = setTimer(connect, delay);
  };

  const heartbeat = () => {
    beatTimer = setTimer(heartbeat, Math.min(heartbeatMs, deadAfterMs) / 3);
    const silent = now() - lastHeard;
    if (silent > deadAfterMs) return disconnect('no answer from the server', true);
    if (silent > heartbeatMs && socket?.readyState === OPEN) socket.send(encodeFrame({ type: 'ping', t: now() }));
  };

  const connect = () => {
    retryTimer = undefined;
    setState({ status: 'connecting', attempt });
    let ws: SocketLike;
    try {
      ws = d.createSocket(d.url());
    } catch (error) {
      return disconnect(`cannot open a socket: ${String(error)}`, true);
    }
    socket = ws;
    lastHeard = now();
    ws.onmessage = (ev) => {
      if (ws !== socket) return;
      lastHeard = now();
      const frames = decodeServerFrames(String(ev.data)); // one frame, or several packed in order
      if (!frames.ok) return;
      for (const frame of frames.value) {
        if (ws !== socket) return; // a frame before this one replaced the socket
        if (frame.type === 'welcome') {
          attempt = 0;
          setState({ status: 'connected' });
        }
        d.onFrame(frame);
      }
    };
    ws.onclose = (ev) => {
      if (ws !== socket) return;
      disconnect(ev.reason || `closed (${ev.code})`, shouldReconnect(ev.code));
    };
    ws.onerror = () => {
      // onclose follows; nothing to decide here.
    };
    beatTimer = setTimer(heartbeat, Math.min(heartbeatMs, deadAfterMs) / 3);
  };

  return {
    start() {
      if (state.status === 'stopped') connect();
    },
    reconnectNow() {
      const old = socket;
      socket = undefined;
      clearTimers();
      if (old) {
        old.onopen = old.onmessage = old.onclose = old.onerror = null;
        if (old.readyState <= OPEN) old.close(1000, 'reconnecting');
      }
      attempt = 0;
      connect();
    },
    stop(reason = 'stopped') {
      disconnect(reason, false);
    },
    drop(reason) {
      if (state.status !== 'stopped') disconnect(reason, true);
    },
    send(frame) {
      if (!socket || socket.readyState !== OPEN || state.status !== 'connected') return false;
      socket.send(encodeFrame(frame));
      return true;
    },
    state: () => state,
  };
}
