// Soak: many connections chatting for a long time against one server on a real broker, with
// churn (a share of the clients leave and come back, resuming, every minute). Every minute it
// samples the server's resident memory, event-loop delay (from /metrics), open sockets, and the
// messages sent, confirmed and refused; at the end it prints a Markdown table and the growth.
// Not part of the test suite.
//   bun scripts/soak.ts                                  30 minutes, 1,000 connections, 50 msg/s
//   bun scripts/soak.ts --minutes 5 --connections 500 --rate 20
// KAFKA_BROKERS selects a running cluster; without it a private broker is started and stopped.
import { decodeServerFrames } from '../protocol/src/index.ts';
import { privateBroker } from './bench/broker.ts';
import { startProduct } from './bench/servers.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MINUTES = arg('minutes', 30);
const CONNECTIONS = arg('connections', 1000);
const RATE = arg('rate', 50); // messages a second over all connections
const ROOMS = arg('rooms', 20);
const CHURN = arg('churn', 0.05); // share of connections that leave and come back each minute
const log = (...parts: unknown[]) => console.error(...parts);

interface Conn {
  ws?: WebSocket;
  room: string;
  token?: string;
  since?: number;
  epoch?: string;
  seq: number;
  pending: Set<string>;
}

const totals = { sent: 0, confirmed: 0, received: 0, refused: new Map<string, number>(), reconnects: 0, closes: new Map<number, number>() };

function open(c: Conn, url: string): Promise<void> {
  const q = new URLSearchParams({ room: c.room });
  if (c.token) q.set('token', c.token);
  if (c.since !== undefined && c.epoch) {
    q.set('since', String(c.since));
    q.set('epoch', c.epoch);
  }
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/chat?${q}`);
    const timer = setTimeout(() => reject(new Error('no welcome within 20 s')), 20_000);
    ws.onmessage = (e) => {
      const frames = decodeServerFrames(String(e.data)); // one frame, or several packed
      for (const f of frames.ok ? frames.value : []) {
        if (f.type === 'chat') {
          totals.received++;
          c.since = f.offset;
          if (f.clientId && c.pending.delete(f.clientId)) totals.confirmed++;
        } else if (f.type === 'welcome') {
          c.token = f.token;
          c.epoch = f.epoch;
          for (const m of f.history) {
            c.since = m.offset;
            if (m.clientId && c.pending.delete(m.clientId)) totals.confirmed++;
          }
          clearTimeout(timer);
          resolve();
        } else if (f.type === 'error') {
          totals.refused.set(f.code, (totals.refused.get(f.code) ?? 0) + 1);
        }
      }
    };
    ws.onclose = (e) => {
      clearTimeout(timer);
      if (c.ws === ws) c.ws = undefined;
      totals.closes.set(e.code, (totals.closes.get(e.code) ?? 0) + 1);
      reject(new Error(`closed ${e.code} before welcome`));
    };
    c.ws = ws;
  });
}

async function metrics(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) ([\d.e+-]+)$/.exec(line);
    if (m) out[m[1] as string] = Number(m[2]);
  }
  return out;
}

const kafka = await privateBroker(process.env.SOAK_KAFKA_PORT ?? '19592');
const server = await startProduct(4900 + Math.floor(Math.random() * 100), kafka.brokers);
const rows: string[] = [];
let first: number | undefined;
let last = 0;
try {
  const conns: Conn[] = Array.from({ length: CONNECTIONS }, (_, i) => ({ room: `soak-${i % ROOMS}`, seq: 0, pending: new Set() }));
  for (let i = 0; i < conns.length; i += 100) await Promise.all(conns.slice(i, i + 100).map((c) => open(c, server.url)));
  log(`${CONNECTIONS} connections open over ${ROOMS} rooms; ${RATE} msg/s for ${MINUTES} min`);

  // Senders: RATE messages a second from random connections, each with a clientId.
  const sender = setInterval(() => {
    for (let i = 0; i < RATE / 10; i++) {
      const c = conns[Math.floor(Math.random() * conns.length)] as Conn;
      if (c.ws?.readyState !== WebSocket.OPEN) continue;
      const clientId = `m${++c.seq}-${Math.random().toString(36).slice(2, 8)}`;
      c.pending.add(clientId);
      c.ws.send(JSON.stringify({ type: 'chat', text: `soak message ${c.seq}`, clientId }));
      totals.sent++;
    }
  }, 100);
  // Churn: some leave and come back a few seconds later with their token and position.
  const churn = setInterval(() => {
    for (const c of conns) {
      if (Math.random() >= CHURN || !c.ws) continue;
      c.ws.close(1000, 'soak churn');
      setTimeout(() => {
        totals.reconnects++;
        open(c, server.url).catch(() => {});
      }, 1000 + Math.random() * 4000);
    }
  }, 60_000);

  rows.push('| minute | server RSS (MB) | event-loop delay p99 / worst (ms) | open sockets | sent | confirmed | received |', '| --- | --- | --- | --- | --- | --- | --- |');
  const started = Date.now();
  for (let minute = 1; minute <= MINUTES; minute++) {
    await Bun.sleep(started + minute * 60_000 - Date.now());
    const m = await metrics(server.url);
    const rssMb = (await server.rssKb()) / 1024;
    first ??= rssMb;
    last = rssMb;
    const row = `| ${minute} | ${rssMb.toFixed(1)} | ${(1000 * (m['chat_event_loop_delay_seconds{quantile="0.99"}'] ?? 0)).toFixed(1)} / `
      + `${(1000 * (m['chat_event_loop_delay_seconds{quantile="1"}'] ?? 0)).toFixed(1)} | ${m.chat_ws_connections ?? 0} | ${totals.sent} | ${totals.confirmed} | ${totals.received} |`;
    rows.push(row);
    log(row);
  }
  clearInterval(sender);
  clearInterval(churn);
  await Bun.sleep(5000); // the last confirmations
  const unconfirmed = conns.reduce((n, c) => n + c.pending.size, 0);
  for (const c of conns) c.ws?.close();
  console.log(rows.join('\n'));
  console.log(`\nRSS minute 1 → ${MINUTES}: ${first?.toFixed(1)} → ${last.toFixed(1)} MB (${(last - (first ?? 0)).toFixed(1)} MB); `
    + `sent ${totals.sent}, confirmed ${totals.confirmed}, unconfirmed at the end ${unconfirmed}, reconnects ${totals.reconnects}, `
    + `refused ${JSON.stringify(Object.fromEntries(totals.refused))}, closes ${JSON.stringify(Object.fromEntries(totals.closes))}`);
} finally {
  await server.stop();
  await kafka.stop();
}
