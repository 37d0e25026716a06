import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { HistoryPage, SearchResults } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { postChat } from './test-support/post-chat.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { startTestServer, uniqueTopic } from './test-support/test-server.ts';
import { waitFor } from './test-support/wait-for.ts';

const topic = uniqueTopic('multi');
const aId = `a${crypto.randomUUID().slice(0, 6)}`;
const bId = `b${crypto.randomUUID().slice(0, 6)}`;
const servers: RunningServer[] = [];
const clients: TestClient[] = [];
let a: RunningServer;
let b: RunningServer;
let kafkaOrder: string[] = []; // the conversation in isekai-tavern as the first clients saw it
const open = async (s: RunningServer, query: Record<string, string | number | undefined> = {}) => {
  const c = await openClient(s.url, query);
  clients.push(c);
  return c;
};
beforeAll(async () => {
  [a, b] = await Promise.all([
    startTestServer({ KAFKA_TOPIC: topic, INSTANCE_ID: aId, INSTANCE_STATS_INTERVAL_MS: '300' }),
    startTestServer({ KAFKA_TOPIC: topic, INSTANCE_ID: bId, INSTANCE_STATS_INTERVAL_MS: '300' }),
  ]);
  servers.push(a, b);
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all(servers.map((s) => s.stop()));
});

describe('two server instances on one topic', () => {
  it('deliver a message sent through A (WebSocket and HTTP) to a client of B, in the same order', async () => {
    const onA = await open(a, { room: 'isekai-tavern' });
    const onB = await open(b, { room: 'isekai-tavern' });
    await onA.next('welcome');
    await onB.next('welcome');
    onA.send({ type: 'chat', text: 'from A over WebSocket', clientId: 'ma-1' });
    const res = await postChat(a.url, { text: 'from A over HTTP', room: 'isekai-tavern', username: 'HttpBot' });
    expect(res.status).toBe(201);
    onB.send({ type: 'chat', text: 'from B', clientId: 'mb-1' });
    await onA.next('chat', (f) => f.clientId === 'mb-1');
    await onB.next('chat', (f) => f.clientId === 'mb-1');
    await onB.next('chat', (f) => f.username === 'HttpBot');
    await onA.next('chat', (f) => f.username === 'HttpBot');
    const ids = (c: TestClient) => c.all('chat').map((m) => m.id);
    expect(ids(onA)).toHaveLength(3);
    expect(ids(onA)).toEqual(ids(onB));
    kafkaOrder = ids(onA);
  });

  it('let a client resume on B from where it left A, with its name and without gaps or repeats', async () => {
    const room = 'cross-resume';
    const talker = await open(a, { room });
    const me = await open(a, { room });
    const w = await me.next('welcome');
    talker.send({ type: 'chat', text: 'seen on A', clientId: 'x0' });
    const seen = await me.next('chat', (f) => f.clientId === 'x0');
    me.close();
    await me.waitClosed();
    talker.send({ type: 'chat', text: 'missed 1', clientId: 'x1' });
    talker.send({ type: 'chat', text: 'missed 2', clientId: 'x2' });
    await talker.next('chat', (f) => f.clientId === 'x2');
    const back = await open(b, { room, token: w.token, since: seen.offset });
    const bw = await back.next('welcome');
    expect(bw.username).toBe(w.username);
    expect(bw.recovered).toBe(true);
    // B may not have consumed the newest message yet when the client arrives; then it comes
    // live right after welcome. Either way: each missed message once, in order.
    const received = () => [...bw.history, ...back.all('chat')].map((m) => m.text);
    await waitFor(() => received().includes('missed 2'), '"missed 2" in history or live');
    expect(received()).toEqual(['missed 1', 'missed 2']);
  });

  it('list each other with their connections per room in the monitor data', async () => {
    const onB = await open(b, { room: 'monitor-room' });
    await onB.next('welcome');
    type Instances = { instances: Array<{ id: string; connections: number; rooms: Record<string, number> }> };
    const seenByA = await waitFor(async () => {
      const d = (await (await fetch(`${a.url}/monitor.json`)).json()) as Instances;
      const bEntry = d.instances.find((i) => i.id === bId);
      return d.instances.some((i) => i.id === aId) && bEntry?.rooms['monitor-room'] === 1 ? bEntry : undefined;
    }, 'A\'s monitor to list B with its monitor-room connection');
    expect(seenByA.connections).toBeGreaterThanOrEqual(1);
  });

  it('keep names unique across instances: a name online on B is refused on A without its token', async () => {
    const onB = await open(b, { room: 'names-room' });
    const w = await onB.next('welcome');
    const post = (headers: Record<string, string> = {}) =>
      postChat(a.url, { text: 'who am I', username: w.username, room: 'names-room' }, headers);
    await waitFor(async () => (await post()).status === 409, `A to refuse ${w.username}, who is online on B`);
    expect((await post({ authorization: `Bearer ${w.token}` })).status).toBe(201);
    const monitor = (await (await fetch(`${a.url}/monitor.json`)).json()) as { instances: Array<Record<string, unknown>> };
    expect(JSON.stringify(monitor.instances)).not.toContain(w.username); // the monitor shows counts, not names
  });

  it('give a newly started instance the recent history from the Kafka log', async () => {
    const c = await startTestServer({ KAFKA_TOPIC: topic });
    servers.push(c);
    const late = await open(c, { room: 'isekai-tavern' });
    const w = await late.next('welcome');
    expect(kafkaOrder).toHaveLength(3);
    expect(w.history.map((m) => m.id)).toEqual(kafkaOrder);
  });

  it('give identical older pages and search results on both instances', async () => {
    const room = 'archive-room';
    for (let i = 0; i < 30; i++) {
      const res = await postChat(i % 2 ? a.url : b.url, { text: i === 7 ? 'the moonlit shrine' : `entry ${i}`, room, username: 'Archivist' });
      expect(res.status).toBe(201);
    }
    const read = async (s: RunningServer, path: string) => (await fetch(`${s.url}${path}`)).json();
    const page = `/rooms/${room}/messages?limit=100`;
    await waitFor(async () => ((await read(a, page)) as HistoryPage).messages.length === 30 && ((await read(b, page)) as HistoryPage).messages.length === 30,
      'both instances to have read all 30');
    expect(await read(a, page)).toEqual(await read(b, page));
    expect(await read(a, `/rooms/${room}/messages?limit=10&before=${((await read(a, page)) as HistoryPage).messages[20]?.offset}`))
      .toEqual(await read(b, `/rooms/${room}/messages?limit=10&before=${((await read(b, page)) as HistoryPage).messages[20]?.offset}`));
    const search = `/rooms/${room}/search?q=moonlit`;
    const found = (await read(a, search)) as SearchResults;
    expect(found.results.map((m) => m.text)).toEqual(['the moonlit shrine']);
    expect(await read(b, search)).toEqual(found);
  });
});
