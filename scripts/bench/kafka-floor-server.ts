// The floor of this stack for the benchmark: the bare Bun pub/sub server plus the one thing the
// product cannot skip, a kafkajs round trip. Every chat is produced (idempotent, acks from all
// in-sync replicas, everything waiting during the previous send grouped into the next one, the
// broker connections without Nagle) and published to the room when Kafka acknowledges it.
// No consumer, history, limits or presence: what is left between it and the bare server is the
// cost of kafkajs and the broker on the same machine.
//   PORT=4000 KAFKA_BROKERS=127.0.0.1:9092 KAFKA_TOPIC=floor bun scripts/bench/kafka-floor-server.ts
import { makeKafkaClient } from '../../server/src/kafka/kafka-client.ts';
import { makeLogger } from '../../server/src/log.ts';
import { serveFrames, type PendingChat } from './frame-server.ts';

interface Pending { room: string; value: string; publish(offset: number): void }

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
    for (const p of batch) p.publish(n++);
  } catch (err) {
    console.error('produce failed', err);
  } finally {
    inFlight = false;
    void flush();
  }
}

serveFrames('Floor', (chat: PendingChat, publish) => {
  waiting.push({ room: chat.room, value: JSON.stringify(chat), publish });
  void flush();
});
