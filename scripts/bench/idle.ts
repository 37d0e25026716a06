// Idle memory alone, against a server already running at the URL given (its pid for the RSS):
// N idle sockets over 100 rooms, RSS growth per socket.
//   bun scripts/bench/idle.ts http://127.0.0.1:4900 <pid> [10000]
import { connect, disconnect } from './load.ts';

const [url = 'http://127.0.0.1:4900', pid = '', count = '10000'] = process.argv.slice(2);
const rss = async () => Number(/VmRSS:\s+(\d+)/.exec(await Bun.file(`/proc/${pid}/status`).text())?.[1] ?? 0);
const n = Number(count);
const before = await rss();
const tag = Date.now().toString(36);
const idle = await connect(url, Array.from({ length: 100 }, (_, i) => `idle-${tag}-${i}`), n);
await Bun.sleep(2000);
const after = await rss();
console.log(`${n} idle sockets: ${((after - before) / n).toFixed(2)} KB each (RSS ${before} -> ${after} KB)`);
await disconnect(idle);
