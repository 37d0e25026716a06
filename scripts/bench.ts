// Benchmark: the real server as a child process on a real broker, clients on loopback only.
// Bounded in count and time. Prints a Markdown table for docs/benchmarks.md.
//   KAFKA_BROKERS=127.0.0.1:9092 bun scripts/bench.ts
import { openClient, type TestClient } from '../server/src/test-support/ws-client.ts';
import { waitFor } from '../server/src/test-support/wait-for.ts';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 50);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 300);
const BURST_SENDERS = Number(process.env.BENCH_SENDERS ?? 10);
const BURST_EACH = Number(process.env.BENCH_EACH ?? 200);
const IDLE_SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 1000);

const port = 3900 + Math.floor(Math.random() * 90);
const url = `http://127.0.0.1:${port}`;
const server = Bun.spawn(['bun', new URL('../server/src/main.ts', import.meta.url).pathname], {
  env: {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', KAFKA_BROKERS: brokers, LOG_LEVEL: 'warn',
    KAFKA_TOPIC: `bench-${crypto.randomUUID().slice(0, 8)}`, RATE_CONN_PER_SEC: '1000', RATE_CONN_BURST: '10000',
    RATE_IP_PER_SEC: '10000', RATE_IP_BURST: '100000', MAX_CONNECTIONS_PER_IP: '100000', NODE_NO_WARNINGS: '1',
  },
  stdout: 'inherit', stderr: 'inherit',
});
const rssMb = async () => {
  const status = await Bun.file(`/proc/${server.pid}/status`).text();
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const rows: string[] = [];
const row = (what: string, value: string) => {
  rows.push(`| ${what} | ${value} |`);
  console.error(`${what}: ${value}`);
};

try {
  await waitFor(async () => {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    return (await fetch(`${url}/health`).catch(() => null))?.status === 200;
  }, 'the server', 60_000);
  row('server RSS after start', `${(await rssMb()).toFixed(0)} MB`);

  // 1. Memory per idle connection, measured first from a clean start.
  const before = await rssMb();
  const idle: TestClient[] = [];
  for (let i = 0; i < IDLE_SOCKETS; i++) idle.push(await openClient(url, { room: `idle-${i % 20}` }));
  await waitFor(async () => ((await (await fetch(`${url}/health`)).json()) as { connections: number }).connections >= IDLE_SOCKETS, 'all sockets');
  const after = await rssMb();
  row(`server RSS with ${IDLE_SOCKETS} idle sockets`, `${after.toFixed(0)} MB (${(((after - before) * 1024) / IDLE_SOCKETS).toFixed(1)} KB per socket)`);
  idle.forEach((c) => c.close());
  // 2. Latency: one sender waits for its own message to come back through Kafka each time.
  const listeners: TestClient[] = [];
  for (let i = 0; i < LISTENERS; i++) listeners.push(await openClient(url, { room: 'bench' }));
  const sender = await openClient(url, { room: 'bench' });
  await sender.next('welcome');
  const echo: number[] = [];
  const fanout: number[] = [];
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < SEQUENTIAL && Date.now() < deadline; i++) {
    const clientId = `seq-${i}`;
    const t0 = performance.now();
    sender.send({ type: 'chat', text: `latency ${i}`, clientId });
    const arrivals = listeners.map((l) => l.next('chat', (f) => f.clientId === clientId).then(() => performance.now()));
    await sender.next('chat', (f) => f.clientId === clientId);
    echo.push(performance.now() - t0);
    fanout.push(Math.max(...(await Promise.all(arrivals))) - t0);
    if (i % 50 === 0) for (const c of [sender, ...listeners]) c.frames.length = 0; // keep lookups cheap
  }
  row(`send → own echo (acks=all, ${echo.length} sequential sends)`, `p50 ${pct(echo, 50).toFixed(1)} ms, p95 ${pct(echo, 95).toFixed(1)} ms, p99 ${pct(echo, 99).toFixed(1)} ms`);
  row(`send → received by all ${LISTENERS} listeners`, `p50 ${pct(fanout, 50).toFixed(1)} ms, p95 ${pct(fanout, 95).toFixed(1)} ms, p99 ${pct(fanout, 99).toFixed(1)} ms`);

  // 3. Throughput: several senders fire at once; count until every listener has everything.
  const senders: TestClient[] = [];
  for (let i = 0; i < BURST_SENDERS; i++) senders.push(await openClient(url, { room: 'bench' }));
  await Promise.all(senders.map((s) => s.next('welcome')));
  for (const c of listeners) c.frames.length = 0;
  const total = BURST_SENDERS * BURST_EACH;
  const t0 = performance.now();
  for (let j = 0; j < BURST_EACH; j++) senders.forEach((s, i) => s.send({ type: 'chat', text: `burst ${i}-${j}`, clientId: `b-${i}-${j}` }));
  await waitFor(() => listeners.every((l) => l.frames.filter((f) => f.type === 'chat').length >= total), 'the burst to arrive', 120_000);
  const seconds = (performance.now() - t0) / 1000;
  row(`throughput (${BURST_SENDERS} senders × ${BURST_EACH}, ${LISTENERS} listeners)`, `${(total / seconds).toFixed(0)} msg/s stored, ${((total * LISTENERS) / seconds).toFixed(0)} frames/s delivered`);
  [...listeners, ...senders, sender].forEach((c) => c.close());

} finally {
  server.kill('SIGTERM');
  await server.exited;
}
console.log(`| measurement | result |\n| --- | --- |\n${rows.join('\n')}`);
