// Drives one product server (already running at PROFILE_URL) with one scenario and prints the
// server's own produce-latency percentiles, to split end-to-end latency into its parts.
import { connect, disconnect, step } from './load.ts';

const url = process.env.PROFILE_URL ?? 'http://127.0.0.1:4900';
const rate = Number(process.env.PROFILE_RATE ?? 5000);
const roomCount = Number(process.env.PROFILE_ROOMS ?? 100);
const perRoom = Number(process.env.PROFILE_PER_ROOM ?? 2);
const senders = Number(process.env.PROFILE_SENDERS ?? roomCount * perRoom);
const clients = await connect(url, Array.from({ length: roomCount }, (_, i) => `p-${i}`), roomCount * perRoom);
await step(clients.slice(0, senders), () => perRoom, rate, 1000, 2000);
const r = await step(clients.slice(0, senders), () => perRoom, rate, 5000, 3000);
const m = (await (await fetch(`${url}/monitor.json`)).json()) as { metrics: { latency: unknown } };
console.log(JSON.stringify({ ...r, produce: m.metrics.latency }));
await disconnect(clients);
