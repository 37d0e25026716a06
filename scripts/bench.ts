// Side-by-side benchmark: a bare Bun pub/sub server speaking the same frames (the runtime's own
// limit), the same plus a kafkajs produce round trip per message (the floor of this stack), and
// this server on a real Kafka broker, driven by one load generator in this process. Prints one
// Markdown table with the ratios product/baseline and product/floor. Everything on 127.0.0.1,
// bounded in count and time.
//   bun scripts/bench.ts            full run (5 to 6 minutes on 2 cores)
//   bun scripts/bench.ts --quick    a shorter run (about 3 minutes)
// KAFKA_BROKERS selects a running cluster; without it a private broker is started and stopped.
import { privateBroker } from './bench/broker.ts';
import { connect, disconnect, step, type Client, type StepResult } from './bench/load.ts';
import { startBaseline, startFloor, startProduct, type ServerProcess } from './bench/servers.ts';

const quick = process.argv.includes('--quick');
const P99_TARGET_MS = 50;
const plan = quick
  ? { stepMs: 2000, drainMs: 2000, oneRoom: [50, 100, 200, 300, 400, 500], manyRooms: [1000, 5000, 10_000, 15_000], steady: 3000, idle: 2000 }
  : { stepMs: 5000, drainMs: 3000, oneRoom: [50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800, 2000], manyRooms: [1000, 2000, 5000, 10_000, 15_000, 20_000], steady: 10_000, idle: 10_000 };

interface Measured {
  oneRoom: StepResult[];
  manyRooms: StepResult[];
  steady: StepResult;
  idleKbPerSocket: number;
}

const log = (...parts: unknown[]) => console.error(...parts);
const passes = (r: StepResult) => r.lost === 0 && r.errors === 0 && r.p99 <= P99_TARGET_MS;
const rooms = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Runs rates upwards; stops after two rates in a row miss the target (one miss can be noise). */
async function sweep(senders: Client[], audience: (c: Client) => number, rates: number[], label: string): Promise<StepResult[]> {
  const out: StepResult[] = [];
  await step(senders, audience, rates[0] as number, 1000, plan.drainMs); // warm-up
  let misses = 0;
  for (const rate of rates) {
    const r = await step(senders, audience, rate, plan.stepMs, plan.drainMs);
    log(`  ${label} ${rate} msg/s: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, lost ${r.lost}, errors ${r.errors}`);
    out.push(r);
    misses = passes(r) ? 0 : misses + 1;
    if (misses === 2) break;
    await Bun.sleep(500);
  }
  return out;
}

async function measure(server: ServerProcess): Promise<Measured> {
  log(`\n${server.name}`);
  // Memory first, from a fresh start: idle sockets spread over 100 rooms.
  await Bun.sleep(1000);
  const before = await server.rssKb();
  const idle = await connect(server.url, rooms(100, 'idle'), plan.idle);
  await Bun.sleep(2000);
  const idleKbPerSocket = ((await server.rssKb()) - before) / plan.idle;
  log(`  ${plan.idle} idle sockets: ${idleKbPerSocket.toFixed(1)} KB each`);
  await disconnect(idle);
  await Bun.sleep(1000);

  // 1,000 clients in one room, 10 of them sending.
  const crowd = await connect(server.url, ['watch-party'], 1000);
  const oneRoom = await sweep(crowd.slice(0, 10), () => crowd.length, plan.oneRoom, '1 room × 1000');
  await disconnect(crowd);

  // 200 clients over 100 rooms, all sending.
  const pairs = await connect(server.url, rooms(100, 'pair'), 200);
  const manyRooms = await sweep(pairs, () => 2, plan.manyRooms, '100 rooms × 2');
  await disconnect(pairs);

  // 100 clients in one room at a steady 20 msg/s.
  const hundred = await connect(server.url, ['steady'], 100);
  const steady = await step(hundred.slice(0, 10), () => hundred.length, 20, plan.steady, plan.drainMs);
  log(`  100 clients at 20 msg/s: p50 ${steady.p50.toFixed(1)} ms, p99 ${steady.p99.toFixed(1)} ms, lost ${steady.lost}`);
  await disconnect(hundred);
  return { oneRoom, manyRooms, steady, idleKbPerSocket };
}

/** The highest rate that met the target (the sweep goes on past a single miss). */
const best = (rs: StepResult[]) => rs.filter(passes).reduce((m, r) => Math.max(m, r.rate), 0);
const ms = (r: StepResult | undefined) => (r ? `p50 ${r.p50.toFixed(1)} / p99 ${r.p99.toFixed(1)} ms${r.lost ? `, lost ${r.lost}` : ''}` : 'not reached');
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');

const kafka = await privateBroker(process.env.BENCH_KAFKA_PORT ?? '19492');
let bare: Measured;
let floor: Measured;
let product: Measured;
try {
  const baseline = await startBaseline(4700 + Math.floor(Math.random() * 100));
  try {
    bare = await measure(baseline);
  } finally {
    await baseline.stop();
  }
  const floorServer = await startFloor(4600 + Math.floor(Math.random() * 100), kafka.brokers);
  try {
    floor = await measure(floorServer);
  } finally {
    await floorServer.stop();
  }
  const server = await startProduct(4800 + Math.floor(Math.random() * 100), kafka.brokers);
  try {
    product = await measure(server);
  } finally {
    await server.stop();
  }
} finally {
  await kafka.stop();
}

// Columns: bare Bun, the kafkajs floor, this server; then this server against each.
const all = [bare, floor, product];
const rows: string[][] = [];
const sweepRows = (label: string, pick: (m: Measured) => StepResult[], rates: number[], unit: string) => {
  const bests = all.map((m) => best(pick(m)));
  rows.push([label, ...bests.map((b) => `${b} msg/s`), ratio(bests[2] as number, bests[0] as number), ratio(bests[2] as number, bests[1] as number)]);
  for (const rate of rates) {
    const rs = all.map((m) => pick(m).find((r) => r.rate === rate));
    const [b, f, p] = rs;
    if (rs.some(Boolean)) rows.push([`  ${unit} at ${rate} msg/s`, ...rs.map(ms), b && p ? ratio(p.p99, b.p99) : '', f && p ? ratio(p.p99, f.p99) : '']);
  }
};
sweepRows(`1,000 clients in one room: highest rate with p99 ≤ ${P99_TARGET_MS} ms, nothing lost`, (m) => m.oneRoom, plan.oneRoom, 'one room');
sweepRows(`200 clients over 100 rooms: highest rate with p99 ≤ ${P99_TARGET_MS} ms, nothing lost`, (m) => m.manyRooms, plan.manyRooms, '100 rooms');
rows.push(['100 clients in one room at 20 msg/s (p99 ratio)', ...all.map((m) => ms(m.steady)), ratio(product.steady.p99, bare.steady.p99), ratio(product.steady.p99, floor.steady.p99)]);
rows.push([`${plan.idle} idle sockets: RSS per socket`, ...all.map((m) => `${m.idleKbPerSocket.toFixed(1)} KB`), ratio(product.idleKbPerSocket, bare.idleKbPerSocket), ratio(product.idleKbPerSocket, floor.idleKbPerSocket)]);

console.log(`\n| measurement | bare Bun pub/sub | bare Bun + kafkajs produce | this server (Kafka, acks=all) | this / bare | this / floor |\n| --- | --- | --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
