// Starts the servers under test as child processes on 127.0.0.1 and reads their memory.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { waitFor } from '../../server/src/test-support/wait-for.ts';

export interface ServerProcess {
  name: string;
  url: string;
  rssKb(): Promise<number>;
  stop(): Promise<void>;
}

// BENCH_SERVER_ROOT runs the server from another checkout (for bisecting with the same load).
const ROOT = process.env.BENCH_SERVER_ROOT ?? new URL('../../', import.meta.url).pathname;

async function spawn(name: string, args: string[], env: Record<string, string>, port: number): Promise<ServerProcess> {
  const proc = Bun.spawn(['bun', ...args], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, stdout: 'ignore', stderr: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}`);
    return (await fetch(`${url}/health`).catch(() => null))?.status === 200;
  }, `${name} to be healthy`, 60_000);
  return {
    name, url,
    async rssKb() {
      const status = await Bun.file(`/proc/${proc.pid}/status`).text();
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    },
    async stop() {
      proc.kill('SIGTERM');
      await Promise.race([proc.exited, Bun.sleep(10_000).then(() => proc.kill('SIGKILL'))]);
    },
  };
}

export function startBaseline(port: number): Promise<ServerProcess> {
  return spawn('bare Bun pub/sub', ['scripts/bench/baseline-server.ts'], { PORT: String(port) }, port);
}

/** Bare Bun plus a kafkajs produce round trip per message: the floor of this stack. */
export function startFloor(port: number, brokers: string): Promise<ServerProcess> {
  const topic = `bench-floor-${crypto.randomUUID().slice(0, 8)}`;
  return spawn('bare Bun + kafkajs produce', ['scripts/bench/kafka-floor-server.ts'], {
    PORT: String(port), KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, KAFKAJS_NO_PARTITIONER_WARNING: '1',
  }, port);
}

export async function startProduct(port: number, brokers: string): Promise<ServerProcess> {
  const topic = `bench-${crypto.randomUUID().slice(0, 8)}`;
  const db = `${tmpdir()}/${topic}.sqlite`; // a real file: its writes are part of the message path
  const server = await spawn('this server', ['server/src/main.ts'], {
    PORT: String(port), HOST: '127.0.0.1', KAFKA_BROKERS: brokers, LOG_LEVEL: 'warn', KAFKA_TOPIC: topic, HISTORY_DB: db,
    RATE_CONN_PER_SEC: '1000', RATE_CONN_BURST: '10000', RATE_IP_PER_SEC: '1000000', RATE_IP_BURST: '1000000',
    MAX_CONNECTIONS_PER_IP: '100000', NEW_ARRIVAL_WAIT_MS: '0', FLOOD_REPEAT_LIMIT: '1000000',
  }, port);
  return {
    ...server,
    async stop() {
      await server.stop();
      for (const suffix of ['', '-wal', '-shm', '.lock', '.lock-journal']) rmSync(`${db}${suffix}`, { force: true });
    },
  };
}
