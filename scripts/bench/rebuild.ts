// How fast an instance builds its read model from the log: writes N chat records over R rooms
// straight to a fresh topic, starts the server with an empty database, and times the catch-up
// (until /health is 200). Then restarts it on the same database and times that start.
//   bun scripts/bench/rebuild.ts [--messages 100000] [--rooms 50]
// KAFKA_BROKERS selects a running cluster; without it a private broker is started and stopped.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { encodeChatRecord } from '../../protocol/src/codec.ts';
import { makeKafkaClient } from '../../server/src/kafka/kafka-client.ts';
import { silentLogger } from '../../server/src/log.ts';
import { waitFor } from '../../server/src/test-support/wait-for.ts';
import { privateBroker } from './broker.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MESSAGES = arg('messages', 100_000);
const ROOMS = arg('rooms', 50);
const ROOT = new URL('../../', import.meta.url).pathname;
const topic = `rebuild-${crypto.randomUUID().slice(0, 8)}`;
const db = `${tmpdir()}/${topic}.sqlite`;
const broker = await privateBroker(process.env.REBUILD_KAFKA_PORT ?? '19692');

const start = async (label: string) => {
  const port = 5000 + Math.floor(Math.random() * 500);
  const started = performance.now();
  const proc = Bun.spawn(['bun', 'server/src/main.ts'], {
    cwd: ROOT, stdout: 'ignore', stderr: 'inherit',
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC: topic, HISTORY_DB: db, INSTANCE_ID: 'rebuild', LOG_LEVEL: 'warn' },
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200, `${label} to be ready`, 600_000);
  const seconds = (performance.now() - started) / 1000;
  proc.kill('SIGTERM');
  await proc.exited;
  return seconds;
};

try {
  // The server creates the topic (and its epoch) on its first start.
  await start('the first start');
  const kafka = makeKafkaClient('rebuild-writer', broker.brokers.split(','), silentLogger);
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < MESSAGES; i += 1000) {
    const messages = Array.from({ length: Math.min(1000, MESSAGES - i) }, (_, j) => {
      const room = `room-${(i + j) % ROOMS}`;
      return { key: room, value: encodeChatRecord({ id: crypto.randomUUID(), room, username: 'BenchBot', text: `message ${i + j} with some ordinary words in it`, timestamp: new Date().toISOString() }) };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  const rebuild = await start('the rebuild');
  const restart = await start('the restart');
  console.log(`${MESSAGES} messages over ${ROOMS} rooms: rebuild ${rebuild.toFixed(1)} s (${Math.round(MESSAGES / rebuild)} messages/s including start-up), restart on the same database ${restart.toFixed(1)} s`);
} finally {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  await broker.stop();
}
