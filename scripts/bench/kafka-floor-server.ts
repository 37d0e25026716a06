// The floor of this stack for the benchmark: the bare Bun pub/sub server plus the one thing the
// product cannot skip, a kafkajs round trip. Every chat is produced (idempotent, acks from all
// in-sync replicas, everything waiting during the previous send grouped into the next one, the
// broker connections without Nagle) and published to the room when Kafka acknowledges it.
// No consumer, history, limits or presence: what is left between it and the bare server is the
// cost of kafkajs and the broker on the same machine.
//   PORT=4000 KAFKA_BROKERS=127.0.0.1:9092 KAFKA_TOPIC=floor bun scripts/bench/kafka-floor-server.ts
import { decodeClientFrame, encodeFrame, MAX_TEXT_LENGTH, type ServerFrame } from '../../protocol/src/index.ts';
import { makeKafkaClient } from '../../server/src/kafka/kafka-client.ts';
import { makeLogger } from '../../server/src/log.ts';

interface Data { room: string; username: string }
interface Pending { room: string; value: string; frame: Omit<Extract<ServerFrame, { type: 'chat' }>, 'offset'> }

const topic = process.env.KAFKA_TOPIC ?? 'bench-floor';
const kafka = makeKafkaClient('bench-floor', (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), makeLogger('warn'));
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
await admin.disconnect();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();

let waiting: Pending[] = [];
let inFlight = false;
/** Group commit: one send in flight; everything that arrived meanwhile goes in the next one. */
async function flush(): Promise<void> {
  if (inFlight || waiting.length === 0) return;
  inFlight = true;
  const batch = waiting;
  waiting = [];
  try {
    const results = await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic, messages: batch.map((p) => ({ key: p.room, value: p.value })) }],
    });
    // Offsets per partition come back as the batch's base offset; the floor only needs order.
    let n = Number(results[0]?.baseOffset ?? 0);
    for (const p of batch) server.publish(`room:${p.room}`, encodeFrame({ ...p.frame, offset: n++ }));
  } catch (err) {
    console.error('produce failed', err);
  } finally {
    inFlight = false;
    void flush();
  }
}

let connections = 0;
let nextName = 0;
const server = Bun.serve<Data>({
  port: Number(process.env.PORT ?? 0),
  hostname: '127.0.0.1',
  fetch(req, srv) {
    const url = new URL(req.url);
    if (url.pathname === '/health') return Response.json({ status: 'ok', connections });
    const room = url.searchParams.get('room') ?? 'lobby';
    if (srv.upgrade(req, { data: { room, username: `Floor${++nextName}` } })) return undefined;
    return new Response('upgrade required', { status: 426 });
  },
  websocket: {
    maxPayloadLength: 8192, idleTimeout: 60, sendPings: true, backpressureLimit: 1 << 20, closeOnBackpressureLimit: true,
    open(ws) {
      connections++;
      const welcome: ServerFrame = {
        type: 'welcome', username: ws.data.username, room: ws.data.room, token: '', history: [], online: 0, rooms: [ws.data.room],
        epoch: 'floor', recovered: false, serverTime: new Date().toISOString(),
        limits: { maxTextLength: MAX_TEXT_LENGTH, maxFrameBytes: 8192, messagesPerSecond: 1000, burst: 10_000 },
      };
      ws.send(encodeFrame(welcome));
      ws.subscribe(`room:${ws.data.room}`);
    },
    message(ws, raw) {
      const frame = decodeClientFrame(raw);
      if (!frame.ok) return void ws.send(encodeFrame({ type: 'error', code: frame.error.code, message: frame.error.message }));
      if (frame.value.type !== 'chat') return;
      const chat = {
        type: 'chat' as const, id: crypto.randomUUID(), room: ws.data.room, username: ws.data.username, text: frame.value.text,
        timestamp: new Date().toISOString(), clientId: frame.value.clientId,
      };
      waiting.push({ room: ws.data.room, value: JSON.stringify(chat), frame: chat });
      void flush();
    },
    close() {
      connections--;
    },
  },
});
console.log(JSON.stringify({ port: server.port }));
