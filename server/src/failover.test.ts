// Fault drill on a real three-node KRaft cluster (replication 3, min.insync.replicas 2): clients
// send with clientIds and retry like the web client's outbox while the leader of their room's
// partition is killed and later restarted. Then the topic is read back: every confirmed message
// is stored exactly once, nothing is stored twice, and every client saw each message once.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { ErrorFrame } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { testCluster } from './test-support/cluster.ts';
import { startTestServer, uniqueTopic } from './test-support/test-server.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { waitFor } from './test-support/wait-for.ts';

const cluster = testCluster(Number(process.env.TEST_CLUSTER_KAFKA_PORT ?? 19600)); // nodes on PORT, PORT+2, PORT+4
const { admin } = cluster;
const ROOM = 'drill-room';
const topic = uniqueTopic('failover');
let server: RunningServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  await cluster.start();
  server = await startTestServer({ KAFKA_BROKERS: cluster.brokers.join(','), KAFKA_TOPIC: topic, KAFKA_REPLICATION_FACTOR: '3' });
}, 180_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server?.stop();
  await cluster.stop();
}, 90_000);

/** A sender that behaves like the web client's outbox: same clientId until confirmed. */
function outbox(client: TestClient, name: string) {
  const pending = new Map<string, { text: string; due: number }>();
  const confirmed = new Map<string, number>(); // clientId -> offset
  const retryable = new Set(['kafka_unavailable', 'outcome_unknown', 'server_busy', 'rate_limited']);
  const refusals = new Map<string, number>();
  let seen = 0;
  const tick = () => {
    const frames = client.frames;
    for (; seen < frames.length; seen++) {
      const f = frames[seen];
      if (f?.type === 'chat' && f.clientId && pending.has(f.clientId)) {
        confirmed.set(f.clientId, f.offset);
        pending.delete(f.clientId);
      } else if (f?.type === 'error') {
        const e = f as ErrorFrame;
        refusals.set(e.code, (refusals.get(e.code) ?? 0) + 1);
        const p = e.clientId ? pending.get(e.clientId) : undefined;
        if (p && retryable.has(e.code)) p.due = performance.now() + 500;
      }
    }
    for (const [clientId, p] of pending) {
      if (p.due > performance.now()) continue;
      p.due = performance.now() + 8000; // resend if nothing comes back at all
      client.send({ type: 'chat', text: p.text, clientId });
    }
  };
  let n = 0;
  return {
    write() {
      const clientId = `${name}-${n++}`;
      pending.set(clientId, { text: `${name} says ${n}`, due: 0 });
    },
    tick, pending, confirmed, refusals, written: () => n,
  };
}

describe('on a three-node cluster', () => {
  it('creates the chat topic with three replicas and min.insync.replicas=2', async () => {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    for (const p of meta.topics[0]?.partitions ?? []) expect(p.replicas).toHaveLength(3);
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }] });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
  });

  it('stores every confirmed message exactly once and loses none while the room\'s leader is killed and restarted', async () => {
    const senders = await Promise.all([0, 1, 2, 3].map(() => openClient(server.url, { room: ROOM })));
    const observer = await openClient(server.url, { room: ROOM });
    clients.push(...senders, observer);
    await Promise.all([...senders, observer].map((c) => c.next('welcome')));
    const boxes = senders.map((c, i) => outbox(c, `s${i}`));
    const pump = setInterval(() => boxes.forEach((b) => b.tick()), 50);

    const leader = await cluster.leaderOf(topic, ROOM);

    // /health while a node is down: one dead broker of three must not take the chat down.
    const health: number[] = [];
    let nodeDown = false;
    const watch = setInterval(() => {
      if (nodeDown) void fetch(`${server.url}/health`).then((r) => health.push(r.status));
    }, 500);

    // 2 messages a second per sender for 24 s; the leader dies at 4 s and comes back at 14 s.
    const started = performance.now();
    let killed = false;
    let restarted: Promise<void> | undefined;
    while (performance.now() - started < 24_000) {
      boxes.forEach((b) => b.write());
      const t = performance.now() - started;
      if (!killed && t > 4000) {
        killed = true;
        await cluster.killNode(leader);
        nodeDown = true;
      }
      if (killed && !restarted && t > 14_000) {
        nodeDown = false;
        restarted = cluster.startNode(leader);
      }
      await Bun.sleep(500);
    }
    await restarted;
    clearInterval(watch);
    await waitFor(() => boxes.every((b) => b.pending.size === 0), 'every message to be confirmed', 60_000);
    clearInterval(pump);

    // Read the topic back, independently of the server.
    const stored = (await cluster.readTopic(topic)).filter((r) => r.type === undefined); // messages, not markers
    const byClientId = new Map<string, number>();
    for (const r of stored) if (r.clientId) byClientId.set(r.clientId, (byClientId.get(r.clientId) ?? 0) + 1);
    const twice = [...byClientId].filter(([, count]) => count > 1);
    expect(twice).toEqual([]);
    const confirmed = boxes.flatMap((b) => [...b.confirmed.keys()]);
    expect(confirmed.length).toBe(boxes.reduce((sum, b) => sum + b.written(), 0)); // nothing lost
    for (const id of confirmed) expect(byClientId.get(id)).toBe(1);
    // Every client saw each stored message of the room once, in log order.
    await waitFor(() => observer.all('chat').length >= confirmed.length, 'the observer to see everything', 30_000);
    const offsets = observer.all('chat').map((m) => m.offset);
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (const s of senders) {
      const own = s.all('chat').map((m) => m.id);
      expect(new Set(own).size).toBe(own.length);
    }
    // Sends wait through the election (the deadline is longer than the session timeout)
    // instead of being refused as not stored.
    const refused = boxes.reduce((sum, b) => sum + (b.refusals.get('kafka_unavailable') ?? 0), 0);
    const unknown = boxes.reduce((sum, b) => sum + (b.refusals.get('outcome_unknown') ?? 0), 0);
    const written = boxes.reduce((sum, b) => sum + b.written(), 0);
    console.error(`leader-failover drill: written ${written}, acknowledged ${confirmed.length}, stored ${stored.length}, `
      + `stored twice ${twice.length}, refused ${refused}, outcome unknown ${unknown}, shown to the observer ${offsets.length}`);
    expect(refused).toBe(0);
    const healthy = health.filter((status) => status === 200).length;
    console.error(`/health while the node was down: ${healthy} of ${health.length} checks answered 200`);
    // Readiness follows the metadata, tolerates a refused connection to the dead node for a
    // few seconds, and stays ready while this instance's consumer rejoins after a coordinator on
    // the dead node (before: 7 of 16 checks answered 200).
    expect(healthy).toBeGreaterThanOrEqual(Math.ceil(0.9 * health.length));
  }, 180_000);

  it('stores a message once when its first attempt waits without a quorum and the sender retries on another instance', async () => {
    // Both followers of the room's partition die: the leader appends the first attempt but
    // cannot commit it (min.insync.replicas 2) until they return. The sender gives up on
    // instance A and retries the same clientId on instance B, which has never seen it. When the
    // followers return, the first attempt commits; B must answer with it, not store a copy.
    const room = 'quorum-room';
    const env = { KAFKA_BROKERS: cluster.brokers.join(','), KAFKA_TOPIC: topic, KAFKA_REPLICATION_FACTOR: '3' };
    const [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
    try {
      const onA = await openClient(a.url, { room });
      clients.push(onA);
      const welcome = await onA.next('welcome');
      const leader = await cluster.leaderOf(topic, room);
      const followers = [1, 2, 3].filter((n) => n !== leader);
      for (const n of followers) await cluster.killNode(n);
      const killed = performance.now();
      const frame = { type: 'chat', text: 'sent while the quorum is gone', clientId: 'q-1' };
      onA.send(frame);
      const refusal = await onA.next('error', (f) => f.clientId === 'q-1', 'the send to be reported unknown', 40_000);
      expect(refusal.code).toBe('outcome_unknown');
      onA.close();
      // B may refuse new sockets for a moment while brokers are down (it answers 503 then).
      const onB = await waitFor(() => openClient(b.url, { room, token: welcome.token }), 'instance B to accept the sender', 60_000);
      clients.push(onB);
      await onB.next('welcome');
      let restarted: Promise<void[]> | undefined;
      const stored = () => onB.all('chat').some((f) => f.clientId === 'q-1');
      while (!stored() && performance.now() - killed < 180_000) {
        if (!restarted && performance.now() - killed > 40_000) restarted = Promise.all(followers.map((n) => cluster.startNode(n)));
        onB.send({ ...frame, retry: true }); // what the web client's outbox sends after "outcome unknown"
        await Bun.sleep(3000);
      }
      await restarted;
      expect(stored()).toBe(true);
      await Bun.sleep(2000); // anything still in flight lands
      const copies = (await cluster.readTopic(topic)).filter((r) => r.clientId === 'q-1');
      const refusals = onB.all('error').map((e) => e.code);
      console.error(`quorum-loss drill: "q-1" stored ${copies.length} time(s); on B ${refusals.length} refusals (${[...new Set(refusals)].join(', ')}) before the answer`);
      expect(copies).toHaveLength(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 300_000);
});
