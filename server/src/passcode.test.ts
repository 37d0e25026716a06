// Passcode rooms on the real broker with two instances: a room created with a passcode on A
// refuses, on both instances, joining, resuming, scrollback, search and HTTP sends without a
// grant; the passcode answers a grant (wrong ones are refused and limited); the room is never
// listed; and the log holds only a salted hash, never the passcode.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { Kafka, logLevel } from 'kafkajs';
import type { RoomGrant, RoomsInfo } from '@anime-universe/protocol';
import type { RunningServer } from './server.ts';
import { postChat } from './test-support/post-chat.ts';
import { startTestServer, TEST_BROKERS, uniqueTopic } from './test-support/test-server.ts';
import { openClient, type TestClient } from './test-support/ws-client.ts';
import { waitFor } from './test-support/wait-for.ts';

const topic = uniqueTopic('passcode');
const PASSCODE = 'kitsune-den-7781';
let a: RunningServer;
let b: RunningServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  const env = { KAFKA_TOPIC: topic, TOKEN_SECRET: 'passcode-test-secret-of-32-chars!!!' };
  [a, b] = await Promise.all([startTestServer({ ...env, INSTANCE_ID: 'pc-a' }), startTestServer({ ...env, INSTANCE_ID: 'pc-b' })]);
}, 60_000);
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([a?.stop(), b?.stop()]);
}, 60_000);

const open = async (url: string, query: Record<string, string | number | undefined>) => {
  const c = await openClient(url, query);
  clients.push(c);
  return c;
};
const post = (url: string, path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
/** A socket the server closes right after opening: the frames it sent first and the close code. */
function refused(url: string, query: Record<string, string | number>): Promise<{ frames: Array<{ type: string; code?: string; message?: string }>; code: number }> {
  const u = new URL('/ws/chat', url.replace(/^http/, 'ws'));
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
  const ws = new WebSocket(u);
  const frames: Array<{ type: string; code?: string; message?: string }> = [];
  ws.onmessage = (e) => {
    const parsed = JSON.parse(String(e.data)) as unknown; // one frame, or several packed
    frames.push(...((Array.isArray(parsed) ? parsed : [parsed]) as typeof frames));
  };
  return new Promise((resolve) => {
    ws.onclose = (e) => resolve({ frames, code: e.code });
  });
}
const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

describe('passcode rooms with two instances', () => {
  it('lets in only holders of a grant, on either instance and over every path, and never stores the passcode', async () => {
    const created = await post(a.url, '/rooms/secret-den/passcode', { passcode: PASSCODE });
    expect(created.status).toBe(201);
    const { grant } = (await created.json()) as RoomGrant;
    expect(await codeOf(await post(b.url, '/rooms/secret-den/passcode', { passcode: 'another-one' }))).toBe('room_taken');
    expect(await codeOf(await post(a.url, '/rooms/lobby/passcode', { passcode: PASSCODE }))).toBe('room_taken'); // a themed room
    expect(await codeOf(await post(a.url, '/rooms/short/passcode', { passcode: 'abc' }))).toBe('invalid_passcode');

    // A socket without a grant is told and closed (not to be retried), on B as soon as B has read the record.
    const refusedOnB = await waitFor(async () => {
      const r = await refused(b.url, { room: 'secret-den' });
      return r.code === 4403 ? r : undefined;
    }, 'B to refuse the room without a grant');
    expect(refusedOnB.frames).toEqual([{ type: 'error', code: 'passcode_required', message: 'This room needs its passcode.' }]);

    // With the grant, either instance lets the socket in; a message stored there is kept from the others.
    const member = await open(b.url, { room: 'secret-den', grant });
    const welcome = await member.next('welcome');
    expect(welcome.locked).toBe(true);
    member.send({ type: 'chat', text: 'the password is not here', clientId: 'den-1' });
    const stored = await member.next('chat', (f) => f.clientId === 'den-1');
    const resumeWithout = await refused(a.url, { room: 'secret-den', since: stored.offset - 1, epoch: welcome.epoch });
    expect(resumeWithout).toEqual({ frames: [{ type: 'error', code: 'passcode_required', message: 'This room needs its passcode.' }], code: 4403 });
    const resumeWith = await open(a.url, { room: 'secret-den', since: stored.offset - 1, epoch: welcome.epoch, grant });
    expect((await resumeWith.next('welcome')).history.map((m) => m.text)).toEqual(['the password is not here']);

    // Scrollback, search and HTTP sends need the grant too.
    for (const path of ['/rooms/secret-den/messages', '/rooms/secret-den/search?q=password']) {
      const without = await fetch(`${a.url}${path}`);
      expect([without.status, await codeOf(without)]).toEqual([403, 'passcode_required']);
      expect((await fetch(`${a.url}${path}`, { headers: { 'x-room-grant': grant } })).status).toBe(200);
    }
    const sendWithout = await postChat(a.url, { text: 'let me in', room: 'secret-den', username: 'Outsider' });
    expect([sendWithout.status, await codeOf(sendWithout)]).toEqual([403, 'passcode_required']);
    expect((await postChat(a.url, { text: 'in by HTTP', room: 'secret-den', username: 'Insider' }, { 'x-room-grant': grant })).status).toBe(201);
    const forged = await postChat(a.url, { text: 'forged', room: 'secret-den', username: 'Outsider' }, { 'x-room-grant': grant.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')) });
    expect(forged.status).toBe(403);

    // The passcode answers a grant; wrong ones are refused, and after five tries a minute the address waits.
    const joined = await post(b.url, '/rooms/secret-den/join', { passcode: PASSCODE });
    expect(joined.status).toBe(200);
    const second = (await joined.json()) as RoomGrant;
    expect((await (await open(a.url, { room: 'secret-den', grant: second.grant })).next('welcome')).room).toBe('secret-den');
    const tries: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++) tries.push(await codeOf(await post(b.url, '/rooms/secret-den/join', { passcode: `guess-${i}` })));
    // Five tries per address, room and minute on each instance; on B the refused creation and the join were two.
    expect(tries).toEqual(['wrong_passcode', 'wrong_passcode', 'wrong_passcode', 'rate_limited', 'rate_limited']);

    // Never listed, even when asked about by name.
    const rooms = (await (await fetch(`${a.url}/rooms?read=secret-den:0`)).json()) as RoomsInfo;
    expect(rooms.rooms.map((r) => r.room)).not.toContain('secret-den');

    // The log: one room-passcode record with an argon2 hash; the passcode appears in no record.
    const kafka = new Kafka({ clientId: 'passcode-reader', brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `reader-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
    const values: string[] = [];
    await reader.connect();
    await reader.subscribe({ topics: [topic, `${topic}.instances`, `${topic}.reports`], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void values.push(String(message.value)) });
    await Bun.sleep(1500);
    await reader.disconnect();
    const locks = values.filter((v) => v.startsWith('{"type":"room-passcode"')).map((v) => JSON.parse(v) as { room: string; hash: string });
    expect(locks.map((l) => [l.room, l.hash.startsWith('$argon2id$')])).toEqual([['secret-den', true]]); // the second creation was refused before writing
    expect(values.some((v) => v.includes(PASSCODE))).toBe(false);
  }, 90_000);

  it('closes a socket already sitting in an empty room when the room gets a passcode', async () => {
    const early = await open(a.url, { room: 'quiet-corner' });
    await early.next('welcome');
    expect((await post(b.url, '/rooms/quiet-corner/passcode', { passcode: PASSCODE })).status).toBe(201);
    expect((await early.waitClosed()).code).toBe(4403);
    expect(early.all('error').at(-1)?.code).toBe('passcode_required');
  }, 30_000);
});
