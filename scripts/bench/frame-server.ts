// The WebSocket side shared by the benchmark's reference servers: speaks the chat's frames
// (welcome, chat, error) with the product's protocol module, subscribes each socket to its
// room's topic, and hands every valid chat to `onChat`, which decides when it is published.
import { decodeClientFrame, encodeFrame, MAX_TEXT_LENGTH, type ServerFrame } from '../../protocol/src/index.ts';

interface Data { room: string; username: string }
/** A chat as it will be sent, without its offset. */
export type PendingChat = Omit<Extract<ServerFrame, { type: 'chat' }>, 'offset'>;

export function serveFrames(label: string, onChat: (chat: PendingChat, publish: (offset: number) => void) => void) {
  let connections = 0;
  let nextName = 0;
  const server = Bun.serve<Data>({
    port: Number(process.env.PORT ?? 0),
    hostname: '127.0.0.1',
    fetch(req, srv) {
      const url = new URL(req.url);
      if (url.pathname === '/health') return Response.json({ status: 'ok', connections });
      const room = url.searchParams.get('room') ?? 'lobby';
      if (srv.upgrade(req, { data: { room, username: `${label}${++nextName}` } })) return undefined;
      return new Response('upgrade required', { status: 426 });
    },
    websocket: {
      maxPayloadLength: 8192, idleTimeout: 60, sendPings: true, backpressureLimit: 1 << 20, closeOnBackpressureLimit: true,
      open(ws) {
        connections++;
        const welcome: ServerFrame = {
          type: 'welcome', username: ws.data.username, room: ws.data.room, token: '', history: [], online: 0, rooms: [ws.data.room],
          epoch: label.toLowerCase(), recovered: false, serverTime: new Date().toISOString(),
          limits: { maxTextLength: MAX_TEXT_LENGTH, maxFrameBytes: 8192, messagesPerSecond: 1000, burst: 10_000 },
        };
        ws.send(encodeFrame(welcome));
        ws.subscribe(`room:${ws.data.room}`);
      },
      message(ws, raw) {
        const frame = decodeClientFrame(raw);
        if (!frame.ok) return void ws.send(encodeFrame({ type: 'error', code: frame.error.code, message: frame.error.message }));
        if (frame.value.type !== 'chat') return;
        const chat: PendingChat = {
          type: 'chat', id: crypto.randomUUID(), room: ws.data.room, username: ws.data.username, text: frame.value.text,
          timestamp: new Date().toISOString(), clientId: frame.value.clientId,
        };
        onChat(chat, (offset) => void server.publish(`room:${chat.room}`, encodeFrame({ ...chat, offset })));
      },
      close() {
        connections--;
      },
    },
  });
  console.log(JSON.stringify({ port: server.port }));
  return server;
}
