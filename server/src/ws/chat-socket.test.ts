import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { CLOSE } from '@anime-universe/protocol';
import type { RunningServer } from '../server.ts';
import { openClient, type TestClient } from '../test-support/ws-client.ts';
import { startTestServer, uniqueTopic } from '../test-support/test-server.ts';
import { waitFor } from '../test-support/wait-for.ts';

let server: RunningServer;
let strict: RunningServer;
const clients: TestClient[] = [];
const open = async (query: Record<string, string | number | undefined> = {}, target?: RunningServer) => {
  const c = await openClient((target ?? server).url, query);
  clients.push(c);
  return c;
};
beforeAll(async () => {
  server = await startTestServer({
    KAFKA_TOPIC: uniqueTopic('ws'), HISTORY_ON_WELCOME: '5', PRESENCE_INTERVAL_MS: '100', PRESENCE_REJOIN_GRACE_MS: '300',
    MAX_CONNECTIONS_PER_IP: '5000',
  });
  strict = await startTestServer({
    KAFKA_TOPIC: uniqueTopic('ws-strict'), RATE_CONN_PER_SEC: '0.2', RATE_CONN_BURST: '2', ABUSE_STRIKES: '5', WS_MAX_FRAME_BYTES: '2048',
  });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([server.stop(), strict.stop()]);
});

describe('GET /ws/chat', () => {
  it('welcomes with a generated name, token, themed rooms, history and online count', async () => {
    const c = await open({ room: 'mecha-hangar' });
    const w = await c.next('welcome');
    expect(w.username).toMatch(/^[A-Z][a-z]+[A-Z][a-z]+\d*$/);
    expect(w.room).toBe('mecha-hangar');
    expect(w.token.length).toBeGreaterThan(20);
    expect(w.rooms).toContain('lobby');
    expect(w.rooms).toContain('isekai-tavern');
    expect(w.history).toEqual([]);
    expect(w.online).toBe(1);
    expect(w.limits.maxTextLength).toBe(500);
  });

  it('delivers a chat to everyone in the room, the sender included with its clientId, and to no other room', async () => {
    const a = await open({ room: 'shonen-arena' });
    const b = await open({ room: 'shonen-arena' });
    const elsewhere = await open({ room: 'spirit-forest' });
    const aw = await a.next('welcome');
    a.send({ type: 'chat', text: 'Plus Ultra!', clientId: 'c-100' });
    const mine = await a.next('chat', (f) => f.clientId === 'c-100');
    const theirs = await b.next('chat', (f) => f.clientId === 'c-100');
    expect(mine).toEqual(theirs);
    expect(mine).toMatchObject({ room: 'shonen-arena', username: aw.username, text: 'Plus Ultra!' });
    elsewhere.send({ type: 'ping', t: 1 });
    await elsewhere.next('pong');
    expect(elsewhere.all('chat')).toEqual([]);
  });

  it('sends recent history in welcome, oldest first, at most HISTORY_ON_WELCOME', async () => {
    const a = await open({ room: 'history-room' });
    for (let i = 1; i <= 7; i++) a.send({ type: 'chat', text: `m${i}`, clientId: `h${i}` });
    await a.next('chat', (f) => f.clientId === 'h7');
    const late = await open({ room: 'history-room' });
    const w = await late.next('welcome');
    expect(w.history.map((m) => m.text)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
  });

  it('announces joins and leaves with the online count, and lists the names on request', async () => {
    const a = await open({ room: 'presence-room' });
    const aw = await a.next('welcome');
    const b = await open({ room: 'presence-room' });
    const bw = await b.next('welcome');
    expect(bw.online).toBe(2);
    expect(bw).not.toHaveProperty('users');
    const join = await a.next('presence', (f) => f.joined.includes(bw.username));
    expect(join.online).toBe(2);
    b.send({ type: 'users' });
    const page = await b.next('users');
    expect(page).toEqual({ type: 'users', room: 'presence-room', users: [aw.username, bw.username].sort() });
    b.close();
    const leave = await a.next('presence', (f) => f.left.includes(bw.username));
    expect(leave.online).toBe(1);
  });

  it('sends about one presence frame per socket for 2,000 joins, not one per join per socket', async () => {
    const room = 'storm-room';
    const watcher = await open({ room });
    await watcher.next('welcome');
    const started = performance.now();
    const storm = await Promise.all(Array.from({ length: 2000 }, () => openClient(server.url, { room })));
    const joinMs = performance.now() - started;
    // 2,001 names: the storm and the watcher itself.
    await waitFor(() => watcher.all('presence').reduce((n, p) => n + p.joined.length, 0) === 2001, 'every join announced', 20_000);
    // One frame per presence interval (100 ms here) while the joins lasted, however many joined.
    expect(watcher.all('presence').length).toBeLessThanOrEqual(Math.ceil(joinMs / 100) + 2);
    expect(watcher.all('presence').at(-1)?.online).toBe(2001);
    const late = storm[storm.length - 1] as TestClient;
    await waitFor(() => late.all('presence').length > 0, 'the last joiner to get presence');
    expect(late.all('presence').length).toBeLessThanOrEqual(3);
    storm.forEach((c) => c.close());
    await waitFor(() => watcher.all('presence').at(-1)?.online === 1, 'the room to empty', 20_000);
  }, 60_000);

  it('does not announce a reconnect within the grace as a leave and a join', async () => {
    const room = 'blink-room';
    const watcher = await open({ room });
    await watcher.next('welcome');
    const first = await open({ room });
    const w = await first.next('welcome');
    await watcher.next('presence', (f) => f.joined.includes(w.username));
    first.close();
    await first.waitClosed();
    const again = await open({ room, token: w.token });
    await again.next('welcome');
    watcher.send({ type: 'ping', t: 2 });
    await Bun.sleep(600); // two grace periods: a leave would have gone out by now
    expect(watcher.all('presence').filter((f) => f.left.includes(w.username) || f.joined.includes(w.username))).toHaveLength(1);
  });

  it('keeps the name across reconnects with the token', async () => {
    const first = await open();
    const w1 = await first.next('welcome');
    first.close();
    const again = await open({ token: w1.token });
    expect((await again.next('welcome')).username).toBe(w1.username);
    const forged = await open({ token: `${w1.token}x` });
    expect((await forged.next('welcome')).username).not.toBe(w1.username);
  });

  it('resumes after a disconnect with exactly the missed messages, in order, then live ones without repeats', async () => {
    const room = 'resume-room';
    const other = await open({ room });
    const me = await open({ room });
    const w = await me.next('welcome');
    other.send({ type: 'chat', text: 'before', clientId: 'r0' });
    const last = await me.next('chat', (f) => f.clientId === 'r0');
    me.close();
    await me.waitClosed();
    for (let i = 1; i <= 3; i++) other.send({ type: 'chat', text: `missed ${i}`, clientId: `r${i}` });
    await other.next('chat', (f) => f.clientId === 'r3');

    const back = await open({ room, token: w.token, since: last.offset });
    const bw = await back.next('welcome');
    expect(bw.username).toBe(w.username);
    expect(bw.recovered).toBe(true);
    expect(bw.history.map((m) => m.text)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    other.send({ type: 'chat', text: 'live', clientId: 'r4' });
    await back.next('chat', (f) => f.clientId === 'r4');
    const texts = [...bw.history.map((m) => m.text), ...back.all('chat').map((m) => m.text)];
    expect(texts).toEqual(['missed 1', 'missed 2', 'missed 3', 'live']);
  });

  it('answers a resume from another epoch with recovered: false and the recent history', async () => {
    const room = 'epoch-room';
    const a = await open({ room });
    const w = await a.next('welcome');
    expect(w.epoch).toMatch(/^[0-9a-f-]{36}$/);
    a.send({ type: 'chat', text: 'in this epoch', clientId: 'e1' });
    const m = await a.next('chat', (f) => f.clientId === 'e1');
    const same = await open({ room, since: m.offset, epoch: w.epoch });
    expect((await same.next('welcome')).recovered).toBe(true);
    // A client that saw offset 5000 of a topic that was since recreated.
    const old = await open({ room, since: 5000, epoch: '00000000-0000-4000-8000-000000000000' });
    const ow = await old.next('welcome');
    expect(ow.recovered).toBe(false);
    expect(ow.history.map((h) => h.text)).toEqual(['in this epoch']);
    const noEpoch = await open({ room, since: 5000 });
    expect((await noEpoch.next('welcome')).recovered).toBe(false);
  });

  it('stores and delivers a retried clientId at most once, even across a reconnect', async () => {
    const room = 'retry-room';
    const observer = await open({ room });
    const sender = await open({ room });
    const w = await sender.next('welcome');
    sender.send({ type: 'chat', text: 'once', clientId: 'dup-1' });
    sender.send({ type: 'chat', text: 'once', clientId: 'dup-1' });
    await observer.next('chat', (f) => f.clientId === 'dup-1');
    sender.close();
    const again = await open({ room, token: w.token });
    await again.next('welcome');
    again.send({ type: 'chat', text: 'once', clientId: 'dup-1' });
    again.send({ type: 'chat', text: 'marker', clientId: 'dup-2' });
    await observer.next('chat', (f) => f.clientId === 'dup-2');
    expect(observer.all('chat').filter((f) => f.clientId === 'dup-1')).toHaveLength(1);
  });

  it('answers an invalid frame with an error frame and keeps the connection open', async () => {
    const c = await open();
    await c.next('welcome');
    c.sendRaw('this is not json');
    c.send({ type: 'chat', text: '', clientId: 'empty-1' });
    c.send({ type: 'chat', text: 'y'.repeat(501), clientId: 'long-1' });
    c.send({ type: 'teleport' });
    c.sendRaw(new Uint8Array([1, 2, 3]));
    await waitFor(() => c.all('error').length === 5, 'five error frames');
    expect(c.all('error').map((e) => [e.code, e.clientId])).toEqual([
      ['invalid_json', undefined], ['text_empty', 'empty-1'], ['text_too_long', 'long-1'], ['invalid_request', undefined], ['invalid_request', undefined],
    ]);
    c.send({ type: 'chat', text: 'still here', clientId: 'ok-1' });
    await c.next('chat', (f) => f.clientId === 'ok-1');
    expect(c.closed).toBeUndefined();
  });

  it('rate-limits a fast sender with an error frame that says how long to wait', async () => {
    const c = await open({}, strict);
    await c.next('welcome');
    for (let i = 0; i < 3; i++) c.send({ type: 'chat', text: `fast ${i}`, clientId: `f${i}` });
    const limited = await c.next('error', (e) => e.code === 'rate_limited');
    expect(limited.clientId).toBe('f2');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    await c.next('chat', (f) => f.clientId === 'f1');
  });

  it('does not count rate-limited frames as abuse: a client flushing a queue stays connected', async () => {
    const c = await open({}, strict);
    await c.next('welcome');
    for (let i = 0; i < 12; i++) c.send({ type: 'chat', text: `queued ${i}`, clientId: `q${i}` });
    await waitFor(() => c.all('error').filter((e) => e.code === 'rate_limited').length === 10, 'ten refusals');
    c.send({ type: 'ping', t: 3 });
    await c.next('pong');
    expect(c.closed).toBeUndefined();
  });

  it('closes a connection that keeps sending bad frames with the documented abuse code', async () => {
    const c = await open({}, strict);
    await c.next('welcome');
    for (let i = 0; i < 10; i++) c.sendRaw('junk');
    expect((await c.waitClosed()).code).toBe(CLOSE.abuse.code);
  });

  it('closes a connection that sends a frame above the size limit', async () => {
    const c = await open({}, strict);
    await c.next('welcome');
    c.sendRaw(JSON.stringify({ type: 'chat', text: 'z'.repeat(4000) }));
    expect((await c.waitClosed()).code).toBe(CLOSE.frameTooLarge.code);
  });
});
