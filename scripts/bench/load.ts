// The load generator: many WebSocket clients on 127.0.0.1, senders at a steady rate, and every
// receipt timed at every client. Each message carries its send time in its text, so latency is
// measured from send to receipt in this one process, whichever server is under test.

export interface Client {
  ws: WebSocket;
  room: string;
}

export interface StepResult {
  rate: number;
  sent: number;
  /** Receipts that never arrived (each message is expected at every client of its room). */
  lost: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

const MARK = '"text":"L';

/** Receipt bookkeeping shared by every client's onmessage: cheap string scanning, no JSON. */
class Recorder {
  receipts = new Int32Array(0);
  latencies = new Float64Array(0);
  count = 0;
  errors = 0;
  reset(messages: number, samples: number) {
    this.receipts = new Int32Array(messages);
    this.latencies = new Float64Array(samples);
    this.count = 0;
    this.errors = 0;
  }
  /** One WebSocket message: a frame, or several packed into an array (each chat is counted). */
  onFrame(data: string) {
    let at = data.indexOf(MARK);
    if (at < 0) {
      if (data.startsWith('{"type":"error"')) this.errors++; // errors go to one socket, never packed
      return;
    }
    const now = performance.now();
    while (at >= 0) {
      const colon = data.indexOf(':', at + MARK.length);
      const quote = data.indexOf('"', colon);
      const seq = Number(data.slice(at + MARK.length, colon));
      const latency = now - Number(data.slice(colon + 1, quote));
      if (seq < this.receipts.length) this.receipts[seq] = (this.receipts[seq] ?? 0) + 1;
      if (this.count < this.latencies.length) this.latencies[this.count++] = latency;
      at = data.indexOf(MARK, quote);
    }
  }
}

const recorder = new Recorder();
let stepNo = 0;

export async function connect(baseUrl: string, rooms: string[], count: number, concurrency = 250): Promise<Client[]> {
  const out: Client[] = [];
  const one = (i: number) => new Promise<Client>((resolve, reject) => {
    const room = rooms[i % rooms.length] as string;
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/chat?room=${room}`);
    const timer = setTimeout(() => reject(new Error('no welcome within 20 s')), 20_000);
    ws.onmessage = (e) => {
      if (String(e.data).startsWith('{"type":"welcome"')) {
        clearTimeout(timer);
        ws.onmessage = (ev) => recorder.onFrame(ev.data as string);
        resolve({ ws, room });
      }
    };
    ws.onclose = (e) => {
      clearTimeout(timer);
      reject(new Error(`closed while connecting: ${e.code}`));
    };
  });
  for (let i = 0; i < count; i += concurrency) {
    const batch = await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, (_, j) => one(i + j)));
    out.push(...batch);
  }
  return out;
}

export async function disconnect(clients: Client[]) {
  const closed = clients.map((c) => new Promise<void>((resolve) => {
    if (c.ws.readyState === WebSocket.CLOSED) return resolve();
    c.ws.onclose = () => resolve();
    c.ws.close();
  }));
  await Promise.race([Promise.all(closed), Bun.sleep(5000)]);
}

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/**
 * Sends `rate` messages a second for `durationMs`, spread over `senders`, then waits up to
 * `drainMs` for every receipt. `audience(sender)` is how many clients should receive its messages.
 */
export async function step(senders: Client[], audience: (c: Client) => number, rate: number, durationMs: number, drainMs: number): Promise<StepResult> {
  const total = Math.round((rate * durationMs) / 1000);
  const expected = new Int32Array(total);
  const perMessage = senders.map(audience);
  const samples = perMessage.reduce((a, b) => a + b, 0) / senders.length * total;
  recorder.reset(total, Math.ceil(samples * 1.1) + 1000);
  let sent = 0;
  const run = `${process.pid}s${++stepNo}`; // clientIds unique across steps: the server dedupes retries
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        const i = sent % senders.length;
        const sender = senders[i] as Client;
        expected[sent] = perMessage[i] as number;
        sender.ws.send(`{"type":"chat","text":"L${sent}:${performance.now().toFixed(2)}","clientId":"${run}-${sent}"}`);
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 2);
  });
  const missing = () => {
    let lost = 0;
    for (let i = 0; i < total; i++) lost += Math.max(0, (expected[i] as number) - (recorder.receipts[i] as number));
    return lost;
  };
  const until = performance.now() + drainMs;
  while (missing() > 0 && performance.now() < until) await Bun.sleep(20);
  const sorted = recorder.latencies.slice(0, recorder.count).sort();
  return {
    rate, sent: total, lost: missing(), errors: recorder.errors,
    p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN,
  };
}
