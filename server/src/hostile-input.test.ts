// Thousands of hostile requests and frames against a real server on the real test broker:
// garbage, deep nesting, odd numbers, bad Unicode and bytes, wrong content types, prototype
// keys, oversized bodies. Every answer must be a documented status and error shape (no 5xx
// but the documented 503), no socket may close with 1011, the process stays up, and valid
// messages sent in between still arrive exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import { ERRORS, type ChatFrame, type ErrorFrame } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { startTestServer, uniqueTopic } from './test-support/test-server.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { waitFor } from './test-support/wait-for.ts';

let server: RunningServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await startTestServer({
    KAFKA_TOPIC: uniqueTopic('hostile'), RATE_IP_PER_SEC: '100000', RATE_IP_BURST: '100000',
    RATE_CONN_PER_SEC: '1000', RATE_CONN_BURST: '10000', ABUSE_STRIKES: '10000',
  });
}, 60_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server?.stop();
}, 60_000);

const CODES = Object.keys(ERRORS);
const oddNumber = fc.constantFrom('1e999', '-0', '9007199254740993', '0x10', 'NaN', 'Infinity', '1'.repeat(400));
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'text', 'room', 'username', 'clientId', 'type', 'prototype'),
    fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 600 })), { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.integer({ min: 1, max: 5000 }).map((n) => '{"text":' + '['.repeat(n) + ']'.repeat(n) + '}'),
  oddNumber.map((n) => `{"text":"hi","room":${n},"username":${n}}`),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', 'null', '[]', '"text"', '{', '{"text":"\\ud800"}', '{"text":"\u202Eevil"}', '{"room":"../../etc","text":"x"}'),
);
const bodyBytes = fc.oneof(
  hostileJson.map((s) => new TextEncoder().encode(s)),
  fc.uint8Array({ maxLength: 400 }), // bytes that are not UTF-8
  fc.integer({ min: 16_385, max: 70_000 }).map((n) => new TextEncoder().encode(`{"text":"${'a'.repeat(n)}"}`)), // over the body limit
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', '', 'application/json; charset=latin1', 'APPLICATION/JSON');

describe('hostile input', () => {
  it('answers thousands of hostile POST /chat/send requests with documented statuses and error bodies, never a 5xx but 503', async () => {
    const samples = fc.sample(fc.tuple(bodyBytes, contentType), { numRuns: 1500, seed: 7 });
    const statuses = new Map<number, number>();
    for (let i = 0; i < samples.length; i += 50) {
      await Promise.all(samples.slice(i, i + 50).map(async ([body, type]) => {
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        const res = await fetch(`${server.url}/chat/send`, { method: 'POST', headers, body });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status === 201 || res.status === 200 || (res.status >= 400 && res.status < 500) || res.status === 503).toBe(true);
        expect(res.headers.get('content-type')).toContain('application/json');
        const json = (await res.json()) as { error?: { code?: string; message?: string }; offset?: number };
        if (res.status >= 400) {
          expect(CODES).toContain(json.error?.code as string);
          expect(typeof json.error?.message).toBe('string');
        } else {
          expect(typeof json.offset).toBe('number');
        }
      }));
    }
    expect(statuses.get(500)).toBeUndefined();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 120_000);

  it('answers hostile queries to the history and search routes with documented statuses, never a 5xx', async () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }), oddNumber, fc.constantFrom('', '-1', '0', '201', '1e3', '"', '*', 'NEAR(a b)', 'a OR b', '^x', '__proto__'),
    );
    const samples = fc.sample(fc.tuple(fc.oneof(fc.constant('lobby'), piece), piece, piece, fc.boolean()), { numRuns: 600, seed: 5 });
    for (let i = 0; i < samples.length; i += 50) {
      await Promise.all(samples.slice(i, i + 50).map(async ([room, a, b, search]) => {
        const path = search
          ? `/rooms/${encodeURIComponent(room)}/search?q=${encodeURIComponent(a)}&limit=${encodeURIComponent(b)}`
          : `/rooms/${encodeURIComponent(room)}/messages?before=${encodeURIComponent(a)}&limit=${encodeURIComponent(b)}`;
        const res = await fetch(`${server.url}${path}`);
        expect([200, 400, 404, 429]).toContain(res.status);
        if (res.status >= 400) expect(CODES).toContain(((await res.json()) as { error: { code: string } }).error.code);
        else {
          const body = (await res.json()) as { messages?: unknown[]; results?: unknown[] };
          expect(Array.isArray(search ? body.results : body.messages)).toBe(true);
        }
      }));
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 60_000);

  it('answers thousands of hostile WebSocket frames with error frames, closes nothing with 1011, and still delivers valid messages exactly once', async () => {
    const room = 'hostile-room';
    const attacker = await openClient(server.url, { room });
    const observer = await openClient(server.url, { room });
    clients.push(attacker, observer);
    await Promise.all([attacker.next('welcome'), observer.next('welcome')]);
    const frames = fc.sample(fc.oneof(hostileJson, fc.uint8Array({ maxLength: 200 })), { numRuns: 3000, seed: 11 });
    const valid: string[] = [];
    frames.forEach((frame, i) => {
      if (typeof frame === 'string' && frame.length > 8000) return; // the frame size limit has its own test (close 1009)
      attacker.sendRaw(frame);
      if (i % 100 === 0) {
        const clientId = `valid-${i}`;
        valid.push(clientId);
        attacker.send({ type: 'chat', text: `valid message ${i}`, clientId });
      }
    });
    await waitFor(() => valid.every((id) => observer.all('chat').some((m) => m.clientId === id)), 'every valid message to arrive', 30_000);
    expect(attacker.closed).toBeUndefined();
    for (const e of attacker.all('error') as ErrorFrame[]) expect(CODES).toContain(e.code);
    expect(attacker.all('error').length).toBeGreaterThan(1000);
    const seen = (observer.all('chat') as ChatFrame[]).filter((m) => m.clientId?.startsWith('valid-')).map((m) => m.clientId);
    expect(new Set(seen).size).toBe(seen.length); // exactly once
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 120_000);
});
