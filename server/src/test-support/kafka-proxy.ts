// A TCP proxy between kafkajs and the test broker that understands Kafka's framing enough to
// count produce requests and to lose or delay their replies: the faults a real network makes.
// Use `socketFactory` as the kafkajs socket factory so every broker connection goes through it.
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';

const PRODUCE = 0;

export interface KafkaProxy {
  socketFactory: ISocketFactory;
  /** Produce requests seen so far. */
  produceRequests(): number;
  /** Requests of one Kafka API (by its key, e.g. 8 for OffsetCommit) seen so far. */
  requests(apiKey: number): number;
  /** The next produce reply is dropped and its connection cut, as if the network lost it. */
  loseNextProduceReply(): void;
  /** Replies on connections that carried a produce are held this long (0 to stop). */
  delayProduceReplies(ms: number): void;
  close(): Promise<void>;
}

/** Splits a byte stream into Kafka frames (int32 size + body). */
function framer(onFrame: (frame: Buffer) => void) {
  let buffered: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const size = buffered.readInt32BE(0);
      if (buffered.length < 4 + size) break;
      onFrame(buffered.subarray(0, 4 + size));
      buffered = buffered.subarray(4 + size);
    }
  };
}

export async function startKafkaProxy(broker: string): Promise<KafkaProxy> {
  const [host, port] = broker.split(':') as [string, string];
  let produces = 0;
  const byApi = new Map<number, number>();
  let loseNext = false;
  let delayMs = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    sockets.add(client).add(upstream);
    const kinds = new Map<number, number>(); // correlation id -> api key
    let carriedProduce = false;
    let chain = Promise.resolve(); // keeps delayed replies in order
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', framer((frame) => {
      const apiKey = frame.readInt16BE(4);
      kinds.set(frame.readInt32BE(8), apiKey);
      byApi.set(apiKey, (byApi.get(apiKey) ?? 0) + 1);
      if (apiKey === PRODUCE) {
        produces++;
        carriedProduce = true;
      }
      upstream.write(frame);
    }));
    upstream.on('data', framer((frame) => {
      const correlationId = frame.readInt32BE(4);
      const apiKey = kinds.get(correlationId);
      kinds.delete(correlationId);
      if (apiKey === PRODUCE && loseNext) {
        loseNext = false;
        return cut();
      }
      const wait = carriedProduce ? delayMs : 0;
      chain = chain.then(() => (wait > 0 ? Bun.sleep(wait) : undefined)).then(() => {
        if (!client.destroyed) client.write(frame);
      });
    }));
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', () => {
        sockets.delete(s);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as net.AddressInfo).port;

  return {
    socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxyPort }, onConnect),
    produceRequests: () => produces,
    requests: (apiKey) => byApi.get(apiKey) ?? 0,
    loseNextProduceReply: () => void (loseNext = true),
    delayProduceReplies: (ms) => void (delayMs = ms),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
