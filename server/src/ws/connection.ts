// Wraps one Bun WebSocket as a hub Connection: encodes frames, and closes a client that cannot
// keep up instead of buffering for it without limit.
import type { ServerWebSocket } from 'bun';
import type { Connection } from '../chat/hub.ts';
import { CLOSE, encodeFrame } from '@anime-universe/protocol';

const MAX_BUFFERED_BYTES = 1 << 20;
let nextId = 1;

export function makeConnection(ws: ServerWebSocket<unknown>, username: string, room: string, ip: string): Connection {
  let open = true;
  const close = (code: number, reason: string) => {
    if (!open) return;
    open = false;
    ws.close(code, reason);
  };
  return {
    id: nextId++,
    username,
    room,
    ip,
    watermark: -1,
    send(frame) {
      if (!open) return;
      ws.send(encodeFrame(frame));
      if (ws.getBufferedAmount() > MAX_BUFFERED_BYTES) close(CLOSE.slowConsumer.code, CLOSE.slowConsumer.reason);
    },
    close,
  };
}
