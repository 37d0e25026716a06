// Presence across instances on the real broker: the online count and list of a room are the same
// on every instance (each instance's names per room go through the instance directory), joins on
// another instance are announced in the coalesced presence frames, and when an instance is
// killed its names leave everywhere once it has been silent for the stale time.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { PresenceFrame } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { freePort } from './test-support/free-port.ts';
import { serverProcess, type ServerProcess } from './test-support/server-process.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { waitFor } from './test-support/wait-for.ts';

const topic = uniqueTopic('presence');
const ROOM = 'presence-room';
// Short directory intervals so a killed instance goes stale within seconds (stale: 3 intervals + 2 s).
const env = { KAFKA_TOPIC: topic, INSTANCE_STATS_INTERVAL_MS: '500', TOKEN_SECRET: 'presence-test-secret-of-32-chars!!!' };
let a: RunningServer;
let b: ServerProcess;
const clients: TestClient[] = [];

beforeAll(async () => {
  b = serverProcess('presence-b', await freePort(), {
    ...env, KAFKA_BROKERS: TEST_BROKERS, RATE_CONN_PER_SEC: '1000', RATE_CONN_BURST: '1000', RATE_IP_PER_SEC: '1000', RATE_IP_BURST: '1000', CLIENT_DIST: '/nonexistent',
  });
  [a] = await Promise.all([startTestServer({ ...env, INSTANCE_ID: 'presence-a' }), b.start()]);
}, 120_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  if (b.running()) await b.kill('SIGTERM');
  await a?.stop();
}, 60_000);

const open = async (url: string) => {
  const c = await openClient(url, { room: ROOM });
  clients.push(c);
  return c;
};
const usersOf = async (c: TestClient) => {
  const before = c.all('users').length;
  c.send({ type: 'users' });
  await waitFor(() => c.all('users').length > before, 'a users page');
  return c.all('users').at(-1)?.users ?? [];
};

describe('presence across instances', () => {
  it('agrees on who is online on both instances and drops the names of a killed instance', async () => {
    const onA = await open(a.url);
    const nameA = (await onA.next('welcome')).username;
    const onB1 = await open(b.url);
    const onB2 = await open(b.url);
    const nameB1 = (await onB1.next('welcome')).username;
    const nameB2 = (await onB2.next('welcome')).username;

    // A's client is told about B's names in presence frames; both instances list the same three.
    await waitFor(() => onA.all('presence').some((p) => p.joined.includes(nameB2)) && onA.all('presence').some((p) => p.joined.includes(nameB1)), 'A to announce B\'s names');
    const everyone = [nameA, nameB1, nameB2].sort();
    await waitFor(async () => JSON.stringify(await usersOf(onA)) === JSON.stringify(everyone), 'A to list all three');
    await waitFor(async () => JSON.stringify(await usersOf(onB1)) === JSON.stringify(everyone), 'B to list all three');
    expect((onA.all('presence').at(-1) as PresenceFrame).online).toBe(3);
    // A new socket on either instance is welcomed with the same count (itself included).
    const lateA = await open(a.url);
    const lateB = await open(b.url);
    const [wa, wb] = [await lateA.next('welcome'), await lateB.next('welcome')];
    expect(wa.online).toBe(4); // the three, and itself
    expect([4, 5]).toContain(wb.online); // and A's newcomer, once A has published it (within a second)
    const all5 = [...everyone, wa.username, wb.username].sort();
    await waitFor(async () => JSON.stringify(await usersOf(onA)) === JSON.stringify(all5), 'A to list all five');
    await waitFor(async () => JSON.stringify(await usersOf(onB1)) === JSON.stringify(all5), 'B to list all five');

    // B is killed (no clean stop, no tombstones): once silent for the stale time, its names leave on A.
    const lateBName = wb.username;
    expect(await b.kill('SIGKILL')).not.toBe(0);
    const gone = await waitFor(() => onA.all('presence').find((p) => p.left.includes(nameB1)), 'B\'s names to leave on A', 20_000);
    expect(gone.left.sort()).toEqual([nameB1, nameB2, lateBName].sort());
    expect(gone.online).toBe(2); // A's two sockets
    expect(await usersOf(onA)).toEqual([nameA, wa.username].sort());
  }, 120_000);
});
