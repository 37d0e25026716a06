// Reactions, replies and typing on the real broker with two instances. A reaction made on A is counted
// on B (live, in B's history, scrollback and a resume on either), a retried reaction counts
// once, and the topic holds `reaction` records keyed by the room whose fold gives the same
// counts. A reply carries the quote of its original everywhere and loses the quoted words when
// the original is removed.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Kafka, logLevel } from 'kafkajs';
import { applyReaction, type ChatFrame, type HistoryPage, type ReactionRecord, type Reactions } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { postChat } from './test-support/post-chat.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { waitFor } from './test-support/wait-for.ts';

const topic = uniqueTopic('conversation');
const ROOM = 'react-room';
const MOD = 'reactions-moderator-secret-01';
let a: RunningServer;
let b: RunningServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  const env = { KAFKA_TOPIC: topic, TOKEN_SECRET: 'reactions-test-secret-of-32-chars!!', MODERATOR_TOKENS: `mika:${MOD}` };
  [a, b] = await Promise.all([startTestServer({ ...env, INSTANCE_ID: 'react-a' }), startTestServer({ ...env, INSTANCE_ID: 'react-b' })]);
}, 60_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

const open = async (s: RunningServer, query: Record<string, string | number | undefined> = {}) => {
  const c = await openClient(s.url, { room: ROOM, ...query });
  clients.push(c);
  return c;
};

async function post(text: string): Promise<ChatFrame> {
  const res = await postChat(a.url, { text, room: ROOM, username: 'Poster' });
  expect(res.status).toBe(201);
  return { type: 'chat', ...((await res.json()) as Omit<ChatFrame, 'type'>) };
}

async function topicRecords(): Promise<Array<{ key: string; value: Record<string, unknown> }>> {
  const kafka = new Kafka({ clientId: 'reactions-reader', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const reader = kafka.consumer({ groupId: `reader-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
  const out: Array<{ key: string; value: Record<string, unknown> }> = [];
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void out.push({ key: String(message.key), value: JSON.parse(String(message.value)) }) });
  await Bun.sleep(1500);
  await reader.disconnect();
  return out;
}

describe('reactions with two instances', () => {
  it('counts a reaction made on A on B, live and in history and scrollback, and a retry counts once', async () => {
    const onA = await open(a);
    const onB = await open(b);
    const me = (await onA.next('welcome')).username;
    await onB.next('welcome');
    const target = await post('what a finale');
    await onB.next('chat', (f) => f.offset === target.offset);

    const react = { type: 'react', target: target.offset, emoji: '🔥', on: true, clientId: 'react-1' };
    onA.send(react);
    expect(await onB.next('reaction')).toEqual({ type: 'reaction', room: ROOM, target: target.offset, emoji: '🔥', name: me, on: true });
    onA.send(react); // the same reaction again, as a client retrying after a lost socket would
    onA.send({ ...react, emoji: '🌸', clientId: 'react-2' });
    await onB.next('reaction', (f) => f.emoji === '🌸');
    await onA.next('reaction', (f) => f.emoji === '🌸');
    // Reaction frames come in log order: nothing between the first and the 🌸 one.
    expect(onB.all('reaction').map((f) => f.emoji)).toEqual(['🔥', '🌸']);
    expect(onA.all('reaction').map((f) => f.emoji)).toEqual(['🔥', '🌸']);

    const expected: Reactions = { '🔥': [me], '🌸': [me] };
    // A new socket on B gets the counts in its welcome; B's scrollback has them once its read model does.
    const fresh = await (await open(b)).next('welcome');
    expect(fresh.history.find((m) => m.offset === target.offset)?.reactions).toEqual(expected);
    const page = await waitFor(async () => {
      const p = (await (await fetch(`${b.url}/rooms/${ROOM}/messages`)).json()) as HistoryPage;
      const m = p.messages.find((x) => x.offset === target.offset);
      return m?.reactions?.['🌸'] ? m : undefined;
    }, 'B\'s scrollback to have the reactions');
    expect(page.reactions).toEqual(expected);

    // Taking one back on B reaches A.
    onB.send({ type: 'react', target: target.offset, emoji: '🔥', on: true, clientId: 'react-3' });
    const other = (await onB.next('welcome')).username;
    await onA.next('reaction', (f) => f.name === other);
    onA.send({ ...react, on: false, clientId: 'react-4' });
    expect(await onB.next('reaction', (f) => !f.on)).toEqual({ type: 'reaction', room: ROOM, target: target.offset, emoji: '🔥', name: me, on: false });

    // The topic: every reaction is a record keyed by the room; folding them gives the same counts.
    const records = (await topicRecords()).filter((r) => r.value.type === 'reaction');
    expect(records.every((r) => r.key === ROOM)).toBe(true);
    expect(records).toHaveLength(5); // the retry was written too, and counted once by every fold
    let folded: Reactions | undefined;
    for (const r of records.map((x) => x.value as unknown as ReactionRecord)) folded = applyReaction(folded, r.emoji, r.name, r.on);
    expect(folded).toEqual({ '🌸': [me], '🔥': [other] });
  }, 60_000);

  it('gives a resuming client the reactions made while it was away, on either instance', async () => {
    const poster = await open(a);
    await poster.next('welcome');
    const away = await open(b);
    const welcome = await away.next('welcome');
    const target = await post('react to me while they are away');
    const last = await post('the newest message they saw');
    await away.next('chat', (f) => f.offset === last.offset);
    away.close();

    poster.send({ type: 'react', target: target.offset, emoji: '✨', on: true, clientId: 'away-1' });
    await poster.next('reaction', (f) => f.target === target.offset);
    const expected = { '✨': [(await poster.next('welcome')).username] };
    for (const s of [a, b]) {
      const back = await open(s, { since: last.offset, epoch: welcome.epoch });
      const w = await back.next('welcome');
      expect(w.recovered).toBe(true);
      expect(w.history).toEqual([]);
      expect(w.updated?.map((m) => [m.offset, m.reactions])).toEqual([[target.offset, expected]]);
    }
  }, 60_000);

  it('refuses a reaction to a removed or unknown message, or with something that is not one emoji, with stable codes', async () => {
    const c = await open(a);
    await c.next('welcome');
    const gone = await post('about to go');
    const del = await fetch(`${a.url}/rooms/${ROOM}/messages/${gone.offset}`, { method: 'DELETE', headers: { authorization: `Bearer ${MOD}` } });
    expect(del.status).toBe(200);
    await c.next('redaction', (f) => f.target === gone.offset);
    c.send({ type: 'react', target: gone.offset, emoji: '👍', on: true, clientId: 'bad-1' });
    expect(await c.next('error', (f) => f.clientId === 'bad-1')).toMatchObject({ code: 'message_removed' });
    c.send({ type: 'react', target: 999_999, emoji: '👍', on: true, clientId: 'bad-2' });
    expect(await c.next('error', (f) => f.clientId === 'bad-2')).toMatchObject({ code: 'message_not_found' });
    c.send({ type: 'react', target: gone.offset, emoji: 'lol', on: true, clientId: 'bad-3' });
    expect(await c.next('error', (f) => f.clientId === 'bad-3')).toMatchObject({ code: 'invalid_reaction' });
    expect(c.closed).toBeUndefined();
  }, 30_000);
});

describe('replies with two instances', () => {
  it('quotes the original on both instances and over HTTP, and shows "removed" once the original is removed, also to a resuming client', async () => {
    const onA = await open(a);
    const onB = await open(b);
    await onA.next('welcome');
    const wb = await onB.next('welcome');
    const original = await post('Who is the best pilot in Gundam Wing?\nDiscuss.');
    await onA.next('chat', (f) => f.offset === original.offset);
    onA.send({ type: 'chat', text: 'Heero, obviously', clientId: 'reply-1', replyTo: original.offset });
    const quote = { offset: original.offset, username: 'Poster', excerpt: 'Who is the best pilot in Gundam Wing? Discuss.' };
    const reply = await onB.next('chat', (f) => f.clientId === 'reply-1');
    expect(reply.replyTo).toEqual(quote);
    // Over HTTP too; a reply to a message that does not exist is refused with a stable code.
    const viaHttp = await postChat(b.url, { text: 'Zechs though', room: ROOM, username: 'HttpFan', replyTo: original.offset });
    expect(viaHttp.status).toBe(201);
    expect(((await viaHttp.json()) as ChatFrame).replyTo).toEqual(quote);
    const missing = await postChat(b.url, { text: 'to nothing', room: ROOM, username: 'HttpFan', replyTo: 987_654 });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'message_not_found' } });
    const bad = await postChat(b.url, { text: 'to nothing', room: ROOM, username: 'HttpFan', replyTo: 'first' });
    expect(bad.status).toBe(400);
    await onB.next('chat', (f) => f.username === 'HttpFan');
    onB.close();

    // The original is removed: replies keep their place and lose the quoted words, on both instances.
    const del = await fetch(`${a.url}/rooms/${ROOM}/messages/${original.offset}`, { method: 'DELETE', headers: { authorization: `Bearer ${MOD}` } });
    expect(del.status).toBe(200);
    await onA.next('redaction', (f) => f.target === original.offset);
    const removedQuote = { offset: original.offset, username: 'Poster', excerpt: '', removed: true as const };
    const page = await waitFor(async () => {
      const p = (await (await fetch(`${b.url}/rooms/${ROOM}/messages`)).json()) as HistoryPage;
      return p.messages.find((m) => m.offset === reply.offset && m.replyTo?.removed);
    }, 'B\'s scrollback to blank the quote');
    expect(page.replyTo).toEqual(removedQuote);
    // A client of B that saw the reply before the removal gets it back blanked when it resumes.
    const back = await open(b, { since: (await onA.next('chat', (f) => f.username === 'HttpFan')).offset, epoch: wb.epoch });
    const w = await back.next('welcome');
    expect(w.recovered).toBe(true);
    expect(w.updated?.find((m) => m.offset === reply.offset)?.replyTo).toEqual(removedQuote);
    expect(w.updated?.find((m) => m.offset === original.offset)).toMatchObject({ redacted: true, text: '' });
    // A reply to the removed message is refused.
    back.send({ type: 'chat', text: 'late reply', clientId: 'reply-2', replyTo: original.offset });
    expect(await back.next('error', (f) => f.clientId === 'reply-2')).toMatchObject({ code: 'message_removed' });
  }, 60_000);
});

describe('typing with two instances', () => {
  it('reaches the other instance\'s clients within a second, at most one signal per socket every 2 s, and never the chat topic', async () => {
    const typist = await open(a);
    const sameInstance = await open(a);
    const other = await open(b);
    const name = (await typist.next('welcome')).username;
    await sameInstance.next('welcome');
    await other.next('welcome');
    // B's reader of the signals topic joins in the background after start: wait until it hears one.
    await waitFor(async () => {
      typist.send({ type: 'typing' });
      await Bun.sleep(2100);
      return other.all('typing').length > 0;
    }, 'B to hear a typing signal from A', 30_000);
    const before = sameInstance.all('typing').length;
    const heard = other.all('typing').length;
    const t0 = performance.now();
    typist.send({ type: 'typing' });
    typist.send({ type: 'typing' }); // too soon: dropped, no strike
    expect(await other.next('typing', () => other.all('typing').length > heard, 'the next typing signal', 1000)).toEqual({ type: 'typing', room: ROOM, name });
    expect(performance.now() - t0).toBeLessThan(1000);
    await Bun.sleep(300);
    expect(sameInstance.all('typing').length - before).toBe(1);
    expect(other.all('typing').length - heard).toBe(1);
    expect(typist.closed).toBeUndefined();
    // Nothing of it is on the chat topic.
    expect((await topicRecords()).filter((r) => JSON.stringify(r.value).includes('typing'))).toEqual([]);
  }, 60_000);
});

describe('a new name', () => {
  it('gives the socket a new name with its token, tells the room on both instances, and allows one change per 30 s', async () => {
    const renaming = await open(a);
    const onB = await open(b);
    const old = (await renaming.next('welcome')).username;
    await onB.next('welcome');
    // B hears A's signals once its reader of the signals topic has joined (see the typing test).
    renaming.send({ type: 'rename' });
    const mine = await renaming.next('renamed', (f) => f.token !== undefined);
    expect(mine.from).toBe(old);
    expect(mine.to).not.toBe(old);
    expect(await onB.next('renamed', undefined, 'the rename on B', 15_000)).toEqual({ type: 'renamed', room: ROOM, from: old, to: mine.to });
    // The new name posts, and its token brings it back on a new socket.
    renaming.send({ type: 'chat', text: 'new me', clientId: 'rename-1' });
    expect((await onB.next('chat', (f) => f.clientId === 'rename-1')).username).toBe(mine.to);
    const again = await open(b, { token: mine.token });
    expect((await again.next('welcome')).username).toBe(mine.to);
    renaming.send({ type: 'rename' });
    expect(await renaming.next('error', (f) => f.code === 'rate_limited')).toMatchObject({ code: 'rate_limited' });
  }, 60_000);
});
