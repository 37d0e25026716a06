import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { RunningServer } from '../server.ts';
import { postChat } from '../test-support/post-chat.ts';
import { openClient, type TestClient } from '../test-support/ws-client.ts';
import { startTestServer, uniqueTopic } from '../test-support/test-server.ts';

let server: RunningServer;
let strict: RunningServer;
let proxied: RunningServer;
let unproxied: RunningServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ KAFKA_TOPIC: uniqueTopic('http') });
  strict = await startTestServer({ KAFKA_TOPIC: uniqueTopic('http-strict'), RATE_IP_PER_SEC: '0.1', RATE_IP_BURST: '2' });
  proxied = await startTestServer({ KAFKA_TOPIC: uniqueTopic('http-proxied'), RATE_IP_PER_SEC: '0.1', RATE_IP_BURST: '2', TRUST_PROXY: 'loopback' });
  unproxied = await startTestServer({ KAFKA_TOPIC: uniqueTopic('http-unproxied'), RATE_IP_PER_SEC: '0.1', RATE_IP_BURST: '2' });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([server.stop(), strict.stop(), proxied.stop(), unproxied.stop()]);
});

const post = (body: unknown, headers: Record<string, string> = {}, target = server) => postChat(target.url, body, headers);

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe('POST /chat/send', () => {
  it('stores the message in Kafka and answers 201 with it; WebSocket clients in the room see it', async () => {
    const watcher = await openClient(server.url, { room: 'isekai-tavern' });
    clients.push(watcher);
    const res = await post({ text: '  hello from a bot  ', username: 'BotSensei', room: 'isekai-tavern' });
    expect(res.status).toBe(201);
    const msg = (await res.json()) as Record<string, unknown>;
    expect(msg).toMatchObject({ room: 'isekai-tavern', username: 'BotSensei', text: 'hello from a bot' });
    expect(msg.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(msg.timestamp).toMatch(/Z$/);
    expect(typeof msg.offset).toBe('number');
    const seen = await watcher.next('chat', (f) => f.id === msg.id);
    expect(seen.offset).toBe(msg.offset as number);
  });

  it('generates an anime name and uses the default room when they are missing', async () => {
    const res = await post({ text: 'hi' });
    expect(res.status).toBe(201);
    const msg = (await res.json()) as { username: string; room: string };
    expect(msg.username).toMatch(/^[A-Z][a-z]+[A-Z][a-z]+\d*$/);
    expect(msg.room).toBe('lobby');
  });

  it('stores a retried clientId once and answers the retry with the same message', async () => {
    const first = await post({ text: 'only once', username: 'RetryBot', clientId: 'retry-1' });
    const second = await post({ text: 'only once', username: 'RetryBot', clientId: 'retry-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const [a, b] = [await first.json(), await second.json()] as Array<{ id: string; offset: number }>;
    expect(b).toEqual(a as { id: string; offset: number });
  });

  it('refuses the name of someone online with 409 unless the request carries their token', async () => {
    const owner = await openClient(server.url);
    clients.push(owner);
    const welcome = await owner.next('welcome');
    await expectError(await post({ text: 'pretending', username: welcome.username }), 409, 'name_taken');
    const withToken = await post({ text: 'it is me', username: welcome.username }, { authorization: `Bearer ${welcome.token}` });
    expect(withToken.status).toBe(201);
    const byBodyToken = await post({ text: 'me again', token: welcome.token });
    expect(((await byBodyToken.json()) as { username: string }).username).toBe(welcome.username);
  });

  it('answers bad input with 400, 413 and 415 and a stable code, never 500', async () => {
    await expectError(await post('{"text": "unterminated'), 400, 'invalid_json');
    await expectError(await post('[1,2]'), 400, 'invalid_request');
    await expectError(await post({ text: 42 }), 400, 'invalid_request');
    await expectError(await post({}), 400, 'invalid_request');
    await expectError(await post({ text: ' \u0000 ' }), 400, 'text_empty');
    await expectError(await post({ text: 'hi', room: 'Not A Room' }), 400, 'invalid_room');
    await expectError(await post({ text: 'hi', room: 'x'.repeat(33) }), 400, 'invalid_room');
    await expectError(await post({ text: 'hi', username: '<script>' }), 400, 'invalid_username');
    await expectError(await post({ text: 'hi', clientId: 'no spaces please' }), 400, 'invalid_client_id');
    await expectError(await post({ text: 'x'.repeat(501) }), 413, 'text_too_long');
    await expectError(await post({ text: 'x'.repeat(20_000) }), 413, 'body_too_large');
    await expectError(await post('text=hi', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    await expectError(await fetch(`${server.url}/chat/send`, { method: 'POST', body: '{"text":"hi"}' }), 415, 'unsupported_media_type');
  });

  it('ignores X-Forwarded-For from untrusted peers, and behind a trusted proxy limits each forwarded address', async () => {
    const from = (address: string, target: RunningServer) => post({ text: `via ${address}` }, { 'x-forwarded-for': address }, target);
    // Without TRUST_PROXY the header changes nothing: all three share this machine's limit.
    const direct = [await from('198.51.100.1', unproxied), await from('198.51.100.2', unproxied), await from('198.51.100.3', unproxied)];
    expect(direct.map((r) => r.status)).toEqual([201, 201, 429]);
    // With TRUST_PROXY=loopback (the test is the proxy), each forwarded address has its own.
    const proxiedStatuses = [];
    for (const address of ['198.51.100.1', '198.51.100.1', '198.51.100.1', '198.51.100.2']) proxiedStatuses.push((await from(address, proxied)).status);
    expect(proxiedStatuses).toEqual([201, 201, 429, 201]);
  });

  it('rate-limits per address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await post({ text: `burst ${i}` }, {}, strict);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('other routes', () => {
  it('GET /health reports Kafka and connections', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; kafka: { state: string; topic: string }; connections: number };
    expect(body.status).toBe('ok');
    expect(body.kafka.state).toBe('ready');
    expect(typeof body.connections).toBe('number');
  });
  it('GET / serves a page, unknown paths a JSON 404, /ws/chat without upgrade a 426', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Anime Universe');
    await expectError(await fetch(`${server.url}/ws/chat`), 426, 'upgrade_required');
    await expectError(await fetch(`${server.url}/ws/chat?room=Bad%20Room`, { headers: { upgrade: 'websocket' } }), 400, 'invalid_room');
    await expectError(await fetch(`${server.url}/chat/send`), 400, 'invalid_request');
    await expectError(await fetch(`${server.url}/nope`, { method: 'POST' }), 404, 'not_found');
  });
  it('sends the security headers on pages, API answers and errors alike', async () => {
    for (const res of [await fetch(`${server.url}/`), await fetch(`${server.url}/health`), await fetch(`${server.url}/nope`, { method: 'POST' })]) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});
