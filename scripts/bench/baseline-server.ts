// The runtime's own limit for the benchmark: a bare Bun pub/sub server that speaks the chat's
// frames (welcome, chat with offset, error) with no Kafka, no history and no limits. Same
// decode and encode as the real server, so the difference is the product's own work.
//   PORT=4000 bun scripts/bench/baseline-server.ts
import { decodeClientFrame, encodeFrame, MAX_TEXT_LENGTH, type ServerFrame } from '../../protocol/src/index.ts';

interface Data { room: string; username: string }
const offsets = new Map<string, number>();
let connections = 0;
let nextName = 0;

const server = Bun.serve<Data>({
  port: Number(process.env.PORT ?? 0),
  hostname: '127.0.0.1',
  fetch(req, srv) {
    const url = new URL(req.url);
    if (url.pathname === '/health') return Response.json({ status: 'ok', connections });
    const room = url.searchParams.get('room') ?? 'lobby';
    if (srv.upgrade(req, { data: { room, username: `Bare${++nextName}` } })) return undefined;
    return new Response('upgrade required', { status: 426 });
  },
  websocket: {
    maxPayloadLength: 8192, idleTimeout: 60, sendPings: true, backpressureLimit: 1 << 20, closeOnBackpressureLimit: true,
    open(ws) {
      connections++;
      const welcome: ServerFrame = {
        type: 'welcome', username: ws.data.username, room: ws.data.room, token: '', history: [], online: 0, rooms: [ws.data.room],
        epoch: 'bare', recovered: false, serverTime: new Date().toISOString(),
        limits: { maxTextLength: MAX_TEXT_LENGTH, maxFrameBytes: 8192, messagesPerSecond: 1000, burst: 10_000 },
      };
      ws.send(encodeFrame(welcome));
      ws.subscribe(`room:${ws.data.room}`);
    },
    message(ws, raw) {
      const frame = decodeClientFrame(raw);
      if (!frame.ok) return void ws.send(encodeFrame({ type: 'error', code: frame.error.code, message: frame.error.message }));
      if (frame.value.type !== 'chat') return;
      const offset = (offsets.get(ws.data.room) ?? -1) + 1;
      offsets.set(ws.data.room, offset);
      server.publish(`room:${ws.data.room}`, encodeFrame({
        type: 'chat', id: crypto.randomUUID(), room: ws.data.room, username: ws.data.username, text: frame.value.text,
        timestamp: new Date().toISOString(), clientId: frame.value.clientId, offset,
      }));
    },
    close() {
      connections--;
    },
  },
});
console.log(JSON.stringify({ port: server.port }));
