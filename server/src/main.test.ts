// The real entry point as a child process: configuration errors and signal handling.
import { describe, expect, it } from 'bun:test';
import { CLOSE } from '@anime-universe/protocol';
import { freePort } from './test-support/free-port.ts';
import { openClient } from './test-support/ws-client.ts';
import { TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { waitFor } from './test-support/wait-for.ts';

const MAIN = new URL('./main.ts', import.meta.url).pathname;

describe('main', () => {
  it('exits with code 2 and lists every configuration problem at once', async () => {
    const proc = Bun.spawn(['bun', MAIN], {
      env: { ...process.env, PORT: 'x', KAFKA_BROKERS: 'nope', LOG_LEVEL: 'loud' }, stdout: 'pipe', stderr: 'pipe',
    });
    expect(await proc.exited).toBe(2);
    const stderr = await new Response(proc.stderr).text();
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('KAFKA_BROKERS');
    expect(stderr).toContain('LOG_LEVEL');
  });

  it('on SIGTERM closes sockets with "server restarting", leaves Kafka and exits 0 within 10 s', async () => {
    const port = await freePort();
    const proc = Bun.spawn(['bun', MAIN], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KAFKA_BROKERS: TEST_BROKERS, KAFKA_TOPIC: uniqueTopic('sigterm'), HISTORY_DB: ':memory:', NEW_ARRIVAL_WAIT_MS: '0' },
      stdout: 'pipe', stderr: 'inherit',
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await fetch(`${url}/health`)).status === 200, 'the server to be healthy', 30_000);
      const client = await openClient(url);
      await client.next('welcome');
      const started = performance.now();
      proc.kill('SIGTERM');
      const code = await proc.exited;
      const elapsed = performance.now() - started;
      expect(code).toBe(0);
      expect(elapsed).toBeLessThan(10_000);
      expect((await client.waitClosed()).code).toBe(CLOSE.serverRestart.code);
      const logs = await new Response(proc.stdout).text();
      const lines = logs.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
      expect(lines.map((l) => l.msg)).toContain('chat server stopped');
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
