// The broker for benchmarks and soaks: KAFKA_BROKERS selects a running cluster; without it a
// fresh private broker is started on `port` (topics left by earlier runs slow a broker down)
// and removed afterwards.
import { rmSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url).pathname;

export async function privateBroker(port: string): Promise<{ brokers: string; stop(): Promise<void> }> {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS, stop: async () => {} };
  const run = async (action: string) => {
    const p = Bun.spawn([`${ROOT}scripts/kafka.sh`, action], { env: { ...process.env, KAFKA_PORT: port }, stdout: 'ignore', stderr: 'inherit' });
    if ((await p.exited) !== 0) throw new Error(`kafka.sh ${action} failed`);
  };
  await run('stop');
  rmSync(`${ROOT}.kafka/broker-${port}`, { recursive: true, force: true });
  await run('start');
  return {
    brokers: `127.0.0.1:${port}`,
    async stop() {
      await run('stop');
      rmSync(`${ROOT}.kafka/broker-${port}`, { recursive: true, force: true });
    },
  };
}
