// One scenario of the benchmark alone, against a server already running at the URL given, for
// comparing servers (bare, floor, product) quickly with the same load generator:
//   bun scripts/bench/sweep.ts one-room http://127.0.0.1:4900 [50,100,200]     1,000 clients, 10 sending
//   bun scripts/bench/sweep.ts rooms http://127.0.0.1:4900 [2000,5000,10000]   200 clients over 100 rooms, all sending
//   bun scripts/bench/sweep.ts steady http://127.0.0.1:4900 [20]                100 clients in one room, 10 sending, 10 s a rate
import { connect, disconnect, step } from './load.ts';

const [scenario = 'one-room', url = 'http://127.0.0.1:4900', list] = process.argv.slice(2);
const oneRoom = scenario === 'one-room';
const steady = scenario === 'steady';
const rates = (list ?? (steady ? '20' : oneRoom ? '50,100,200,300,400' : '2000,5000,10000')).split(',').map(Number);
const tag = Date.now().toString(36);
const clients = oneRoom || steady
  ? await connect(url, [`watch-${tag}`], steady ? 100 : 1000)
  : await connect(url, Array.from({ length: 100 }, (_, i) => `pair-${tag}-${i}`), 200);
const senders = oneRoom || steady ? clients.slice(0, 10) : clients;
const audience = () => (oneRoom || steady ? clients.length : 2);
await step(senders, audience, rates[0] ?? 50, 1000, 2000); // warm-up
for (const rate of rates) {
  const r = await step(senders, audience, rate, steady ? 10_000 : oneRoom ? 5000 : 4000, oneRoom ? 3000 : 2000);
  console.log(`${scenario} ${rate} msg/s: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, lost ${r.lost}, errors ${r.errors}`);
  await Bun.sleep(500);
}
await disconnect(clients);
