// Private messages on the real broker with two instances: a message reaches only the sockets of
// its two names, on either instance (not a third socket in the same room), survives a reconnect
// (threads and unread counts over HTTP with the chat token), is stored once when retried (on the
// same instance, or on the other one with the retry flag, through a real read barrier on the
// thread's partition), is refused to a name that turned private messages off, sits on the topic
// under a key no room can take, and is never listed as a room.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Kafka, logLevel } from 'kafkajs';
import type { PrivatePage, PrivateThreads, RoomsInfo } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { postChat } from './test-support/post-chat.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { waitFor } from './test-support/wait-for.ts';

const topic = uniqueTopic('private');
const ROOM = 'dm-room';
let a: RunningServer;
let b: RunningServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  const env = { KAFKA_TOPIC: topic, TOKEN_SECRET: 'private-test-secret-of-32-chars!!!!', INSTANCE_STATS_INTERVAL_MS: '500' };
  [a, b] = await Promise.all([startTestServer({ ...env, INSTANCE_ID: 'dm-a' }), startTestServer({ ...env, INSTANCE_ID: 'dm-b' })]);
}, 60_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

const open = async (url: string, query: Record<string, string | number | undefined> = {}) => {
  const c = await openClient(url, { room: ROOM, ...query });
  clients.push(c);
  const w = await c.next('welcome');
  return { c, name: w.username, token: w.token };
};
const get = async <T>(url: string, token: string) => {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
};

describe('private messages with two instances', () => {
  it('reach only their two names on either instance, survive a reconnect, and are stored once', async () => {
    const alice = await open(a.url);
    const bob = await open(b.url);
    const bobAgain = await open(a.url, { token: bob.token }); // a second tab of bob, on the other instance
    const carol = await open(a.url); // in the same room, not part of it
    // Bob is online on B; A learns it through the instance directory within a second or two.
    const first = { type: 'dm', to: bob.name, text: 'psst, spoilers ahead?', clientId: 'dm-1' };
    await waitFor(async () => {
      alice.c.send(first);
      await Bun.sleep(300);
      return alice.c.all('dm').length > 0;
    }, 'alice\'s message to be stored');
    const stored = (await alice.c.next('dm')).message;
    expect(stored).toMatchObject({ from: alice.name, to: bob.name, text: 'psst, spoilers ahead?', clientId: 'dm-1' });
    expect((await bob.c.next('dm')).message).toEqual(stored);
    expect((await bobAgain.c.next('dm')).message).toEqual(stored);
    alice.c.send(first); // the same clientId again: stored once
    bob.c.send({ type: 'dm', to: alice.name, text: 'no spoilers please', clientId: 'dm-2' });
    await alice.c.next('dm', (f) => f.message.clientId === 'dm-2');
    await Bun.sleep(300);
    expect(carol.c.all('dm')).toEqual([]);
    expect(alice.c.all('dm').map((f) => f.message.clientId)).toEqual(['dm-1', 'dm-2']);

    // Bob goes away; alice writes again; bob's threads say so once he is back.
    bob.c.close();
    bobAgain.c.close();
    alice.c.send({ type: 'dm', to: bob.name, text: 'ok, see you after the finale', clientId: 'dm-3' });
    await alice.c.next('dm', (f) => f.message.clientId === 'dm-3');
    const threads = await waitFor(async () => {
      const r = await get<PrivateThreads>(`${b.url}/private?read=${alice.name}:${stored.offset}`, bob.token);
      return r.body.threads[0]?.unread === 1 ? r : undefined;
    }, 'bob\'s threads to count the new message');
    expect(threads.body.threads).toEqual([{ peer: alice.name, latestOffset: expect.any(Number), at: expect.any(String), unread: 1 }]);
    const page = await get<PrivatePage>(`${b.url}/private/${alice.name}/messages`, bob.token);
    expect(page.body.messages.map((m) => [m.from, m.text])).toEqual([
      [alice.name, 'psst, spoilers ahead?'], [bob.name, 'no spoilers please'], [alice.name, 'ok, see you after the finale'],
    ]);
    // Carol's token shows her nothing of it; no token, nothing at all.
    expect((await get<PrivateThreads>(`${a.url}/private`, carol.token)).body.threads).toEqual([]);
    expect((await get<PrivatePage>(`${a.url}/private/${alice.name}/messages`, carol.token)).body.messages).toEqual([]);
    expect((await fetch(`${a.url}/private`)).status).toBe(401);
    // Only names online, or with a thread already, can be written to.
    carol.c.send({ type: 'dm', to: 'NobodyHere42', text: 'hi stranger', clientId: 'dm-4' });
    expect(await carol.c.next('error', (f) => f.clientId === 'dm-4')).toMatchObject({ code: 'dm_unknown' });
    // A name with private messages is never anyone else's: not even over HTTP.
    expect((await postChat(a.url, { text: 'it is me, bob', room: ROOM, username: bob.name })).status).toBe(409);

    // The topic: each message once, under the thread's key; no room lists it.
    const kafka = new Kafka({ clientId: 'dm-reader', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `reader-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
    const records: Array<{ key: string; value: { type?: string; clientId?: string } }> = [];
    await reader.connect();
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void records.push({ key: String(message.key), value: JSON.parse(String(message.value)) }) });
    await Bun.sleep(1500);
    await reader.disconnect();
    const dms = records.filter((r) => r.value.type === 'dm');
    expect(dms.map((r) => r.value.clientId)).toEqual(['dm-1', 'dm-2', 'dm-3']);
    expect(new Set(dms.map((r) => r.key))).toEqual(new Set([`~dm:${[alice.name, bob.name].sort().join(':')}`]));
    const rooms = (await (await fetch(`${a.url}/rooms`)).json()) as RoomsInfo;
    expect(rooms.rooms.some((r) => r.room.includes('dm:'))).toBe(false);
  }, 90_000);

  it('refuses private messages to a name that turned them off, on either instance', async () => {
    const sender = await open(a.url);
    const quiet = await open(b.url, { dms: 'off' });
    const quietHere = await open(a.url, { dms: 'off' });
    sender.c.send({ type: 'dm', to: quietHere.name, text: 'hello?', clientId: 'off-1' });
    expect(await sender.c.next('error', (f) => f.clientId === 'off-1')).toMatchObject({ code: 'dm_refused' });
    // The other instance's setting arrives through the instance directory.
    const refused = await waitFor(async () => {
      const id = `off-${crypto.randomUUID().slice(0, 8)}`;
      sender.c.send({ type: 'dm', to: quiet.name, text: 'hello?', clientId: id });
      const f = await sender.c.next('error', (e) => e.clientId === id).catch(() => undefined);
      return f?.code === 'dm_refused' ? f : undefined;
    }, 'B\'s quiet name to refuse', 15_000);
    expect(refused.code).toBe('dm_refused');
    expect(quiet.c.all('dm')).toEqual([]);
  }, 60_000);

  it('stores a private message once when its sender retries it on the other instance right after it was stored', async () => {
    const ren = await open(a.url);
    const yui = await open(b.url);
    const first = { type: 'dm', to: yui.name, text: 'did you see episode 12?', clientId: 'retry-1' };
    await waitFor(async () => {
      ren.c.send(first);
      await Bun.sleep(300);
      return ren.c.all('dm').length > 0;
    }, 'ren\'s message to be stored');
    // The same name on B (a reconnect that landed on the other instance) says it is retrying,
    // at once: B reads the thread up to now before deciding, so it finds the stored copy.
    const renOnB = await open(b.url, { token: ren.token });
    renOnB.c.send({ ...first, retry: true });
    renOnB.c.send({ type: 'dm', to: yui.name, text: 'the ending!', clientId: 'retry-2' });
    await renOnB.c.next('dm', (f) => f.message.clientId === 'retry-2');
    expect(renOnB.c.all('error')).toEqual([]);
    await Bun.sleep(500);
    expect(yui.c.all('dm').map((f) => f.message.clientId)).toEqual(['retry-1', 'retry-2']);

    const kafka = new Kafka({ clientId: 'dm-reader', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `reader-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
    const clientIds: string[] = [];
    await reader.connect();
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(String(message.value)) as { type?: string; clientId?: string };
        if (value.type === 'dm' && value.clientId?.startsWith('retry-')) clientIds.push(value.clientId);
      },
    });
    await waitFor(async () => clientIds.length >= 2, 'the topic to be read back');
    await Bun.sleep(1000);
    await reader.disconnect();
    expect(clientIds).toEqual(['retry-1', 'retry-2']);
  }, 60_000);
});
