// ./start-chat.sh as a user runs it: a local broker of its own, --detach, a second start, stop;
// what was sent over WebSocket and HTTP is readable with kcat.
import { afterAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server/src/test-support/free-port.ts';
import { postChat } from '../server/src/test-support/post-chat.ts';
import { openClient } from '../server/src/test-support/ws-client.ts';
import { uniqueTopic } from '../server/src/test-support/test-server.ts';
import { waitFor } from '../server/src/test-support/wait-for.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const KAFKA_PORT = process.env.TEST_START_KAFKA_PORT ?? '19292';
const runDir = mkdtempSync(join(tmpdir(), 'chat-run-'));
const topic = uniqueTopic('start');
const port = await freePort();
const env = { ...process.env, PORT: String(port), KAFKA_PORT, KAFKA_TOPIC: topic, CHAT_RUN_DIR: runDir, KAFKA_BROKERS: '', NEW_ARRIVAL_WAIT_MS: '0' };
const url = `http://127.0.0.1:${port}`;

async function startChat(...args: string[]) {
  const proc = Bun.spawn([`${ROOT}start-chat.sh`, ...args], { cwd: ROOT, env, stdout: 'pipe', stderr: 'pipe' });
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, out, err };
}
const portOpen = (p: number | string) =>
  Bun.connect({ hostname: '127.0.0.1', port: Number(p), socket: { data() {} } }).then((s) => (s.end(), true), () => false);

afterAll(async () => {
  await startChat('stop');
  rmSync(runDir, { recursive: true, force: true });
}, 60_000);

describe('./start-chat.sh', () => {
  it('--detach starts a local broker and the server, returns once /health is 200, and prints the URLs', async () => {
    const run = await startChat('--detach');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`http://localhost:${port}`);
    expect(run.out).toContain(`127.0.0.1:${KAFKA_PORT}`);
    expect(run.out).toContain(`Kafka monitor   http://localhost:${port}/monitor`);
    expect(run.out).toMatch(/Control Center +not running: it needs the Docker stack/);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  }, 120_000);

  const dockerAnswers = Bun.spawnSync(['sh', '-c', 'docker info >/dev/null 2>&1']).exitCode === 0;
  it.skipIf(dockerAnswers)('--docker says clearly that no Docker engine answers, and starts nothing', async () => {
    const proc = Bun.spawn([`${ROOT}start-chat.sh`, '--docker', '--detach'], {
      cwd: ROOT, env: { ...env, CHAT_RUN_DIR: mkdtempSync(join(tmpdir(), 'chat-run-docker-')) }, stdout: 'pipe', stderr: 'pipe',
    });
    expect(await proc.exited).not.toBe(0);
    expect(await new Response(proc.stderr).text()).toContain('no Docker engine answers');
  }, 30_000);

  it('is harmless to start twice', async () => {
    const again = await startChat('--detach');
    expect(again.code).toBe(0);
    expect(again.out).toContain('already running');
  }, 30_000);

  it.skipIf(!Bun.which('kcat'))('stores what is sent over WebSocket and HTTP as JSON that kcat prints', async () => {
    const ws = await openClient(url);
    await ws.next('welcome');
    ws.send({ type: 'chat', text: 'kcat can read me (ws)', clientId: 'kcat-1' });
    await ws.next('chat', (f) => f.clientId === 'kcat-1');
    ws.close();
    const res = await postChat(url, { text: 'kcat can read me (http)' });
    expect(res.status).toBe(201);
    const kcat = Bun.spawn(['kcat', '-b', `127.0.0.1:${KAFKA_PORT}`, '-t', topic, '-C', '-e', '-q', '-f', '%k\t%s\n'], { stdout: 'pipe' });
    const lines = (await new Response(kcat.stdout).text()).trim().split('\n');
    expect(await kcat.exited).toBe(0);
    const records = lines.map((l) => {
      const [key, value] = l.split('\t');
      return { key, value: JSON.parse(value as string) as { room: string; text: string; timestamp: string } };
    });
    expect(records.map((r) => r.value.text).sort()).toEqual(['kcat can read me (http)', 'kcat can read me (ws)']);
    for (const r of records) expect(r.key).toBe(r.value.room);
  }, 30_000);

  it('stop ends the server and the broker it started', async () => {
    const stop = await startChat('stop');
    expect(stop.code).toBe(0);
    await waitFor(async () => !(await portOpen(port)), 'the chat port to close');
    await waitFor(async () => !(await portOpen(KAFKA_PORT)), 'the broker port to close', 30_000);
  }, 60_000);
});
