// The many-rooms sweep alone, against the product only: 200 clients over 100 rooms, every client
// sending, at each rate for 4 s. Quick enough to compare checkouts with the same load:
//   BENCH_SERVER_ROOT=/path/to/other/checkout bun scripts/bench/rooms-sweep.ts [2000,5000,10000]
import { privateBroker } from './broker.ts';
import { connect, disconnect, step } from './load.ts';
import { startProduct } from './servers.ts';

const rates = (process.argv[2] ?? '1000,2000,5000,10000').split(',').map(Number);
const kafka = await privateBroker(process.env.BENCH_KAFKA_PORT ?? '19492');
try {
  const server = await startProduct(4800 + Math.floor(Math.random() * 100), kafka.brokers);
  try {
    const pairs = await connect(server.url, Array.from({ length: 100 }, (_, i) => `pair-${i}`), 200);
    await step(pairs, () => 2, rates[0] ?? 1000, 1000, 2000); // warm-up
    for (const rate of rates) {
      const r = await step(pairs, () => 2, rate, 4000, 2000);
      console.log(`${rate} msg/s: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, lost ${r.lost}, errors ${r.errors}`);
      await Bun.sleep(500);
    }
    await disconnect(pairs);
  } finally {
    await server.stop();
  }
} finally {
  await kafka.stop();
}
