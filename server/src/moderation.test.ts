// Moderation on the real broker with two instances: a message removed through A disappears for
// clients of A and B at once, and from B's history, resume, scrollback and search; the removal is
// a `redaction` record on the topic.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import type { ChatFrame, HistoryPage, MonitorData, SearchResults } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { postChat } from './test-support/post-chat.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { waitFor } from './test-support/wait-for.ts';

const topic = uniqueTopic('moderation');
const SECRET = 'mod-secret-for-tests-0001';
const ROOM = 'mod-room';
const WORDLIST = `${tmpdir()}/wordlist-${crypto.randomUUID()}.txt`;
let a: RunningServer;
let b: RunningServer;
let env: Record<string, string>;
const clients: TestClient[] = [];

beforeAll(async () => {
  // Behind a (simulated) local proxy, so HTTP senders can come from different addresses.
  env = {
    KAFKA_TOPIC: topic, MODERATOR_TOKENS: `alice:${SECRET}`, TRUST_PROXY: 'loopback', TOKEN_SECRET: 'moderation-test-secret-of-32-chars!!',
    FLOOD_REPEAT_LIMIT: '3', FLOOD_STRIKES: '3', NEW_ARRIVAL_WAIT_MS: '1500', MODERATION_WORDLIST: WORDLIST,
  };
  writeFileSync(WORDLIST, '# test list\nbaka\n');
  [a, b] = await Promise.all([startTestServer({ ...env, INSTANCE_ID: 'mod-a' }), startTestServer({ ...env, INSTANCE_ID: 'mod-b' })]);
}, 60_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

const open = async (s: RunningServer, query: Record<string, string | number | undefined>) => {
  const c = await openClient(s.url, query);
  clients.push(c);
  return c;
};

async function redactionRecords(type = 'redaction'): Promise<Array<{ type?: string; target?: number; by?: string; reason?: string }>> {
  const kafka = new Kafka({ clientId: 'moderation-reader', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const reader = kafka.consumer({ groupId: `reader-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
  const values: Array<{ type?: string }> = [];
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void values.push(JSON.parse(String(message.value))) });
  await Bun.sleep(1500);
  await reader.disconnect();
  return values.filter((v) => v.type === type);
}

describe('removing a message with two instances', () => {
  it('takes it away from clients of both, and from history, resume, scrollback and search on the other instance', async () => {
    const onA = await open(a, { room: ROOM });
    const onB = await open(b, { room: ROOM });
    const wa = await onA.next('welcome');
    await onB.next('welcome');
    const sent: ChatFrame[] = [];
    for (const text of ['first, harmless', 'buy cheap coins at example', 'second, harmless']) {
      const res = await postChat(a.url, { text, room: ROOM, username: 'SpamBot' });
      expect(res.status).toBe(201);
      sent.push({ type: 'chat', ...((await res.json()) as Omit<ChatFrame, 'type'>) });
    }
    await onB.next('chat', (f) => f.text === 'second, harmless');
    const spam = sent[1] as ChatFrame;
    const before = (sent[0] as ChatFrame).offset;

    const res = await fetch(`${a.url}/rooms/${ROOM}/messages/${spam.offset}`, {
      method: 'DELETE', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'spam' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ room: ROOM, target: spam.offset, by: 'moderator:alice' });

    // Both instances' clients are told.
    for (const c of [onA, onB]) expect(await c.next('redaction')).toEqual({ type: 'redaction', room: ROOM, target: spam.offset, by: 'moderator:alice' });

    // B's scrollback and search no longer have the text, once its read model (written every
    // 100 ms) has the removal.
    const page = await waitFor(async () => {
      const p = (await (await fetch(`${b.url}/rooms/${ROOM}/messages`)).json()) as HistoryPage;
      return p.messages.some((m) => m.redacted) ? p : undefined;
    }, 'B\'s scrollback to show the removal');
    const found = (await (await fetch(`${b.url}/rooms/${ROOM}/search?q=coins`)).json()) as SearchResults;
    expect(found.results).toEqual([]);
    const harmless = (await (await fetch(`${b.url}/rooms/${ROOM}/search?q=harmless`)).json()) as SearchResults;
    expect(harmless.results).toHaveLength(2); // search works; only the removed one is gone
    expect(page.messages.map((m) => [m.offset, m.text, m.redacted ?? false])).toEqual([
      [before, 'first, harmless', false], [spam.offset, '', true], [spam.offset + 1, 'second, harmless', false],
    ]);

    // A new visitor on B and a client resuming on B see its place, without text.
    const fresh = await open(b, { room: ROOM });
    expect((await fresh.next('welcome')).history.find((m) => m.offset === spam.offset)).toMatchObject({ text: '', redacted: true });
    const resumed = await open(b, { room: ROOM, since: before, epoch: wa.epoch });
    const rw = await resumed.next('welcome');
    expect(rw.recovered).toBe(true);
    expect(rw.history.map((m) => m.text)).toEqual(['', 'second, harmless']);

    // The monitor of the other instance lists it (read from the log), with the moderator's label.
    const monitor = (await (await fetch(`${b.url}/monitor.json`)).json()) as MonitorData;
    expect(monitor.moderation).toContainEqual(expect.objectContaining({ kind: 'redaction', room: ROOM, by: 'moderator:alice', detail: `message ${spam.offset}` }));

    // The removal is a record on the topic, with who did it and why.
    const records = await redactionRecords();
    expect(records).toMatchObject([{ type: 'redaction', room: ROOM, target: spam.offset, by: 'moderator:alice', reason: 'spam' }]);
  }, 60_000);

  it('refuses everyone else: no token, a wrong one, or another author\'s chat token', async () => {
    const res = await postChat(b.url, { text: 'mine to keep', room: ROOM, username: 'KeeperCat' });
    const { offset } = (await res.json()) as { offset: number };
    const url = `${b.url}/rooms/${ROOM}/messages/${offset}`;
    const someone = await open(b, { room: ROOM });
    const token = (await someone.next('welcome')).token;
    const statuses = [];
    for (const headers of [{}, { authorization: 'Bearer wrong-secret-123456789' }, { authorization: `Bearer ${token}` }] as Array<Record<string, string>>) {
      statuses.push((await fetch(url, { method: 'DELETE', headers })).status);
    }
    expect(statuses).toEqual([401, 401, 403]);
  }, 30_000);
});

describe('timing out with two instances', () => {
  const from = (address: string) => ({ 'x-forwarded-for': address });
  it('stops a flooding name on every instance, and its address under a new name, across a restart', async () => {
    // The bot posts through A only; the moderator acts through B, which never saw it.
    expect((await postChat(a.url, { text: 'flood 1', room: ROOM, username: 'FloodBot' }, from('10.0.0.66'))).status).toBe(201);
    const res = await fetch(`${b.url}/moderation/timeouts`, {
      method: 'POST', headers: { authorization: `Bearer ${SECRET}` }, body: JSON.stringify({ name: 'FloodBot', minutes: 30, reason: 'flood' }),
    });
    expect(res.status).toBe(200);
    const refusedCode = async (r: Response) => (r.status === 403 ? ((await r.json()) as { error: { code: string } }).error.code : String(r.status));

    // Refused by name on both instances at once (each read the record)...
    await waitFor(async () => (await refusedCode(await postChat(a.url, { text: 'flood 2', room: ROOM, username: 'FloodBot' }, from('10.0.0.66')))) === 'timed_out', 'A to refuse the name');
    expect(await refusedCode(await postChat(b.url, { text: 'flood 3', room: ROOM, username: 'FloodBot' }, from('10.0.0.66')))).toBe('timed_out');
    // ...and by address under a new name on B: A, which saw the address, timed it out too.
    await waitFor(async () => (await refusedCode(await postChat(b.url, { text: 'new me', room: ROOM, username: 'InnocentLamb' }, from('10.0.0.66')))) === 'timed_out',
      'B to refuse the address under a new name');
    expect((await postChat(b.url, { text: 'still chatting', room: ROOM, username: 'RegularFox' }, from('10.0.0.7'))).status).toBe(201);

    // A restarted instance rebuilds the timeouts from the log.
    await b.stop();
    b = await startTestServer({ ...env, INSTANCE_ID: 'mod-b' });
    expect(await refusedCode(await postChat(b.url, { text: 'after restart', room: ROOM, username: 'OtherName' }, from('10.0.0.66')))).toBe('timed_out');
    expect((await postChat(b.url, { text: 'fine', room: ROOM, username: 'RegularFox' }, from('10.0.0.7'))).status).toBe(201);
  }, 90_000);
});

describe('flood control with two instances', () => {
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const codeOf = async (r: Response) => (r.ok ? String(r.status) : ((await r.json()) as { error: { code: string } }).error.code);

  it('refuses a repeated text, then times the flooder out on every instance, while others chat on', async () => {
    const flood = async (s: RunningServer, username = 'CoinBot') => codeOf(await postChat(s.url, { text: 'FREE COINS!!! click', room: ROOM, username }, from('10.0.0.99')));
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await flood(a));
    expect(codes).toEqual(['201', '201', 'repeated_text', 'repeated_text', 'repeated_text']); // the third strike times it out
    await waitFor(async () => (await flood(b)) === 'timed_out', 'B to refuse the flooder');
    expect(await codeOf(await postChat(b.url, { text: 'a fresh start', room: ROOM, username: 'TotallyNew' }, from('10.0.0.99')))).toBe('timed_out');
    expect(await codeOf(await postChat(b.url, { text: 'FREE COINS!!! click', room: ROOM, username: 'RegularFox' }, from('10.0.0.7')))).toBe('201');
    const records = (await redactionRecords('timeout')).filter((r) => r.by === 'auto:flood');
    expect(records.length).toBeGreaterThan(0);
  }, 60_000);

  it('makes a new WebSocket arrival wait a moment before its first message', async () => {
    // B restarted above, so this address is new to it (arrivals count per instance).
    const c = await open(b, { room: ROOM });
    await c.next('welcome');
    c.send({ type: 'chat', text: 'first!', clientId: 'eager-1' });
    const refused = await c.next('error', (f) => f.clientId === 'eager-1');
    const wait = refused.retryAfterMs as number;
    expect(refused.code).toBe('new_arrival');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1500);
    await Bun.sleep(wait + 50);
    c.send({ type: 'chat', text: 'first!', clientId: 'eager-1' });
    await c.next('chat', (f) => f.clientId === 'eager-1');
  }, 30_000);
});

describe('the word filter with two instances', () => {
  it('masks a look-alike spelling before it reaches the log, so every instance shows it masked', async () => {
    const res = await postChat(a.url, { text: 'you are such a B4KA, honestly', room: 'words-room', username: 'RudeRaccoon' }, { 'x-forwarded-for': '10.0.0.8' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { text: string }).text).toBe('you are such a ****, honestly');
    const page = await waitFor(async () => {
      const p = (await (await fetch(`${b.url}/rooms/words-room/messages`)).json()) as HistoryPage;
      return p.messages.length > 0 ? p : undefined;
    }, 'B to have the message');
    expect(page.messages.map((m) => m.text)).toEqual(['you are such a ****, honestly']);
  }, 30_000);
});

describe('slow mode with two instances', () => {
  it('set through A, reaches B\'s clients and is enforced on B within a second; a moderator socket is exempt', async () => {
    const room = 'slow-room';
    const watcher = await open(b, { room });
    await watcher.next('welcome');
    const res = await fetch(`${a.url}/rooms/${room}/settings`, { method: 'PUT', headers: { authorization: `Bearer ${SECRET}` }, body: JSON.stringify({ slowModeSeconds: 30 }) });
    expect(res.status).toBe(200);
    expect(await watcher.next('room-settings')).toEqual({ type: 'room-settings', room, slowModeSeconds: 30, by: 'moderator:alice' });
    const fresh = await open(b, { room });
    expect((await fresh.next('welcome')).slowModeSeconds).toBe(30);

    const say = async (text: string) => {
      const r = await postChat(b.url, { text, room, username: 'ChattyCat' }, { 'x-forwarded-for': '10.0.0.21' });
      return r.status === 201 ? 'stored' : ((await r.json()) as { error: { code: string } }).error.code;
    };
    expect(await say('one')).toBe('stored');
    expect(await say('two')).toBe('slow_mode');

    // A moderator's socket says who it is and is not slowed.
    const mod = await open(b, { room });
    await mod.next('welcome');
    mod.send({ type: 'moderate', token: SECRET });
    expect(await mod.next('moderating')).toEqual({ type: 'moderating', label: 'alice' });
    await Bun.sleep(1600); // past the new-arrival wait of this test's servers
    for (const clientId of ['m-1', 'm-2']) mod.send({ type: 'chat', text: `announcement ${clientId}`, clientId });
    await mod.next('chat', (f) => f.clientId === 'm-2');
    // A wrong token is refused.
    const pretender = await open(b, { room });
    await pretender.next('welcome');
    pretender.send({ type: 'moderate', token: 'not-the-secret-0000' });
    expect((await pretender.next('error')).code).toBe('unauthorized');
  }, 30_000);
});

describe('reports with two instances', () => {
  it('a report sent through A reaches the moderators\' queue on B; a dismissal on B empties A\'s', async () => {
    const res = await postChat(a.url, { text: 'report-worthy text', room: 'report-room', username: 'ShadyOwl' }, { 'x-forwarded-for': '10.0.0.31' });
    const { offset } = (await res.json()) as { offset: number };
    const reporter = await open(a, { room: 'report-room' });
    const token = (await reporter.next('welcome')).token;
    const sent = await fetch(`${a.url}/rooms/report-room/messages/${offset}/reports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ reason: 'rude' }) });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    const queue = async (s: RunningServer) => ((await (await fetch(`${s.url}/moderation/reports`, { headers: { authorization: `Bearer ${SECRET}` } })).json()) as {
      reports: Array<{ id: string; reason: string; message: { text: string } | null }>;
    }).reports;
    const onB = await waitFor(async () => (await queue(b)).find((r) => r.id === id), 'the report in B\'s queue');
    expect(onB).toMatchObject({ reason: 'rude', message: { text: 'report-worthy text' } });
    expect((await fetch(`${b.url}/moderation/reports/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${SECRET}` } })).status).toBe(200);
    await waitFor(async () => !(await queue(a)).some((r) => r.id === id), 'the dismissal to reach A');
  }, 30_000);
});

// Last: it times out 127.0.0.1, where the WebSocket clients of this file come from.
describe('a socket closed for abuse', () => {
  it('times its sender out on the log, so the name cannot post anywhere', async () => {
    const junk = await open(b, { room: ROOM });
    const name = (await junk.next('welcome')).username;
    for (let i = 0; i < 25; i++) junk.sendRaw('not json at all');
    expect((await junk.waitClosed()).code).toBe(4429);
    const code = async (s: RunningServer) => {
      const r = await postChat(s.url, { text: 'me again', room: ROOM, username: name }, { 'x-forwarded-for': '10.0.0.77' });
      return r.ok ? String(r.status) : ((await r.json()) as { error: { code: string } }).error.code;
    };
    await waitFor(async () => (await code(a)) === 'timed_out', 'A to refuse the name');
    expect(await code(b)).toBe('timed_out');
    expect((await redactionRecords('timeout')).some((r) => r.by === 'auto:flood' && (r as { name?: string }).name === name)).toBe(true);
  }, 30_000);
});
