// The HTTP routes in process through app.request(), with in-memory stand-ins for Kafka. The
// same routes run against a real broker in main.test.ts and the other integration tests.
import { afterEach, describe, expect, it } from 'bun:test';
import type { Hono } from 'hono';
import { makeApp, makeClientIp } from './app.ts';
import { makeChatService } from './chat/chat-service.ts';
import { makeHub, type Hub } from './chat/hub.ts';
import { makeMetrics } from './chat/metrics.ts';
import { makeKeyedLimiter } from './chat/rate-limit.ts';
import { makeRecentSends } from './chat/recent-sends.ts';
import { makeRoomHistory } from './chat/room-history.ts';
import { makeTokens } from './chat/tokens.ts';
import { silentLogger } from './log.ts';
import { fakeDirectory, fakeInspector, makeFakeLog, makeFakeReports } from './test-support/fake-kafka.ts';
import { testConfig } from './test-support/test-server.ts';
import { makeChatSocket } from './ws/chat-socket.ts';
import { makeHistoryView } from './history/history-view.ts';
import { foldTimeouts, makeModeration } from './chat/moderation.ts';
import { makeRecentSources, makeSourceHash, makeTimeouts } from './chat/timeouts.ts';
import { makeRoomSettings } from './chat/room-settings.ts';
import { openReadModel } from './history/read-model.ts';
import type { HistoryPage, RoomsInfo, SearchResults } from '@anime-universe/protocol';

const hubs: Hub[] = [];
afterEach(() => hubs.splice(0).forEach((h) => h.stop()));

function setup(env: Record<string, string> = {}, withReadModel = true) {
  const config = testConfig({ HTTP_MAX_BODY_BYTES: '2048', MODERATOR_TOKENS: `alice:${MOD_SECRET}`, ...env });
  const log = makeFakeLog();
  // The real read model (SQLite in memory), fed like the server feeds it: batch by batch.
  const readModel = openReadModel(':memory:', { topic: 'fake', epoch: 'fake-epoch' });
  readModel.begin(new Map([[0, 0]]));
  log.subscribe((partition, messages, through, events) => readModel.apply(partition, messages, through, events));
  const history = makeRoomHistory(50, 50);
  const hub = makeHub({ history, fanout: { publish() {} }, partitionStart: () => 0 });
  hubs.push(hub);
  const metrics = makeMetrics();
  const timeouts = makeTimeouts();
  const rooms = makeRoomSettings();
  const sources = makeRecentSources();
  const chat = makeChatService(log, makeRecentSends(), { ...config.kafka, timeouts, sources, rooms }, metrics, silentLogger);
  const fold = foldTimeouts({ timeouts, sources, messages: log, live: () => true, log: silentLogger });
  log.subscribe((partition, messages, through, events) => {
    hub.deliver(partition, messages, through, events);
    fold(events);
    for (const e of events) if (e.kind === 'settings') rooms.apply(e);
    chat.remember(messages);
  });
  const tokens = makeTokens(config.tokenSecret);
  const ipLimiter = makeKeyedLimiter(config.limits.ipPerSec, config.limits.ipBurst);
  const nameInUse = (name: string) => hub.isOnline(name);
  const view = makeHistoryView(history, () => readModel, () => 0);
  const reports = makeFakeReports();
  const moderation = makeModeration(log, { find: view.find, sourceOf: sources.of, authorDeleteWindowMs: config.moderation.authorDeleteWindowMs }, silentLogger);
  const socket = makeChatSocket({
    config, hub, history: view, messages: log, chat, tokens, ipLimiter, metrics, nameInUse, clientIp: () => '127.0.0.1', log: silentLogger,
    ready: () => log.status().state === 'ready' && log.status().caughtUp,
  });
  const app = makeApp({
    config, messages: log, directory: fakeDirectory, inspector: fakeInspector, hub, chat, moderation, reports, findMessage: view.find, sourceOf: makeSourceHash(config.tokenSecret), tokens, metrics, ipLimiter,
    socketRoute: socket.route, nameInUse, clientIp: makeClientIp(new Set()), log: silentLogger,
    readModel: () => (withReadModel ? readModel : undefined), partitionOf: () => 0, onlineIn: (room) => (room === 'lobby' ? 2 : 0),
  });
  // A bot with a fixed name: retries are recognised by (name, clientId).
  const post = (body: unknown, headers: Record<string, string> = {}) => app.request('/chat/send', {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify({ username: 'BotSensei', ...(body as object) }),
  });
  return { app, log, post, tokens, reports };
}
const MOD_SECRET = 'moderator-secret-123456';
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('POST /chat/send', () => {
  it('answers 201 with the stored message and its offset, and 200 with the same message for a retried clientId', async () => {
    const { post, log } = setup();
    const first = await post({ text: 'hello', room: 'lobby', clientId: 'r-1' });
    expect(first.status).toBe(201);
    const stored = (await first.json()) as { id: string; offset: number; timestamp: string };
    expect(stored.offset).toBe(0);
    expect(stored.timestamp).toMatch(/Z$/);
    const again = await post({ text: 'hello', room: 'lobby', clientId: 'r-1' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(stored.id);
    expect(log.records).toHaveLength(1);
  });

  it('says what is known when Kafka does not confirm: not stored, busy, or outcome unknown', async () => {
    const { post, log } = setup({ KAFKA_SEND_TIMEOUT_MS: '200' }); // a retry waits this long for the first attempt
    for (const [kind, code] of [['unavailable', 'kafka_unavailable'], ['busy', 'server_busy'], ['unknown', 'outcome_unknown']] as const) {
      log.failWith(kind);
      const res = await post({ text: `try ${kind}`, clientId: `k-${kind}` });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await errorOf(res)).toBe(code);
    }
    log.failWith(undefined);
    // Not stored: a retry goes through. Outcome unknown: a retry must not store a second copy.
    expect((await post({ text: 'try unavailable', clientId: 'k-unavailable' })).status).toBe(201);
    const blocked = await post({ text: 'try unknown', clientId: 'k-unknown' });
    expect(await errorOf(blocked)).toBe('outcome_unknown');
    expect(log.records.map((r) => r.clientId)).toEqual(['k-unavailable']);
  });

  it('refuses a body over the limit with 413 and the wrong media type with 415, before reading JSON', async () => {
    const { post } = setup();
    const big = await post(JSON.stringify({ text: 'x', pad: 'y'.repeat(4096) }));
    expect(big.status).toBe(413);
    expect(await errorOf(big)).toBe('body_too_large');
    const form = await post('text=hi', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await errorOf(form)).toBe('unsupported_media_type');
  });
});

describe('GET /health', () => {
  it('is 200 with the log epoch when chat can be served, 503 with the reason otherwise', async () => {
    const { app, log } = setup();
    const ok = await app.request('/health');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { kafka: { epoch: string } }).kafka.epoch).toBe('fake-epoch');
    log.setStatus({ state: 'unavailable', reason: 'Kafka unreachable: connection refused' });
    const down = await app.request('/health');
    expect(down.status).toBe(503);
    expect(((await down.json()) as { reason: string }).reason).toContain('Kafka unreachable');
    log.setStatus({ state: 'ready', reason: undefined, caughtUp: false, progress: 0.427 });
    const catchingUp = await app.request('/health');
    expect(catchingUp.status).toBe(503);
    expect(((await catchingUp.json()) as { reason: string }).reason).toBe('catching up on the message log (42 %)');
  });
});

describe('GET /ws/chat admission', () => {
  it('refuses plain HTTP, bad rooms, bad resume points and a log that is not ready, each with its code', async () => {
    const { app, log } = setup();
    const ws = (query: string) => app.request(`/ws/chat${query}`, { headers: { upgrade: 'websocket' } });
    expect(await errorOf(await app.request('/ws/chat'))).toBe('upgrade_required');
    expect(await errorOf(await ws('?room=Not%20A%20Room'))).toBe('invalid_room');
    expect(await errorOf(await ws('?since=abc'))).toBe('invalid_request');
    expect(await errorOf(await ws('?since=3&epoch=%3Cscript%3E'))).toBe('invalid_request');
    const from = (origin: string) => app.request('/ws/chat', { headers: { upgrade: 'websocket', origin, host: 'localhost:3000' } });
    const foreign = await from('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(await errorOf(foreign)).toBe('origin_forbidden');
    expect(await errorOf(await from('null'))).toBe('origin_forbidden');
    log.setStatus({ caughtUp: false });
    expect((await from('http://localhost:3000')).status).toBe(503); // its own page passes the origin check
    const starting = await ws('');
    expect(starting.status).toBe(503);
    expect(starting.headers.get('retry-after')).toBe('2');
  });
});

describe('GET /monitor.json and /metrics', () => {
  it('keeps the monitor data from unknown addresses and serves Prometheus text to anyone', async () => {
    const { app } = setup();
    const monitor = await app.request('/monitor.json');
    expect(monitor.status).toBe(403); // app.request has no socket address
    const metrics = await app.request('/metrics');
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('# TYPE');
    // What a soak watches: memory and event-loop delay.
    expect(Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(1_000_000);
    expect(text).toMatch(/^chat_event_loop_delay_seconds\{quantile="0.99"\} [\d.e-]+$/m);
  });
});

describe('GET /rooms/:room/messages and /search', () => {
  it('pages from the newest message back to the beginning of the room, each message once', async () => {
    const { app, post } = setup({ RATE_IP_PER_SEC: '1000', RATE_IP_BURST: '1000' });
    for (let i = 0; i < 23; i++) expect((await post({ text: `line ${i}`, room: i % 3 ? 'lobby' : 'elsewhere' })).status).toBe(201);
    const seen: string[] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const res = await app.request(`/rooms/lobby/messages?limit=5${before === undefined ? '' : `&before=${before}`}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as HistoryPage;
      seen.unshift(...page.messages.map((m) => m.text));
      if (page.atStart) break;
      before = page.messages[0]?.offset;
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i).filter((i) => i % 3).map((i) => `line ${i}`));
  });

  it('finds a message by a word in its room only', async () => {
    const { app, post } = setup();
    await post({ text: 'The tanuki festival is tonight', room: 'lobby' });
    await post({ text: 'tanuki plushies for sale', room: 'elsewhere' });
    await post({ text: 'Nothing to see', room: 'lobby' });
    const res = await app.request(`/rooms/lobby/search?q=${encodeURIComponent('Tanuki')}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as SearchResults).results.map((m) => m.text)).toEqual(['The tanuki festival is tonight']);
  });

  it('answers bad input with a stable code, and 503 before the history is there', async () => {
    const { app } = setup();
    const code = async (path: string) => {
      const res = await app.request(path);
      return [res.status, (await res.json()) as { error?: { code: string; message?: string } }] as const;
    };
    expect(await code('/rooms/Not_A_Room/messages')).toEqual([400, { error: { code: 'invalid_room', message: expect.any(String) } }]);
    expect((await code('/rooms/lobby/messages?before=-1'))[1].error?.code).toBe('invalid_request');
    expect((await code('/rooms/lobby/messages?limit=0'))[1].error?.code).toBe('invalid_request');
    expect((await code('/rooms/lobby/messages?limit=201'))[1].error?.code).toBe('invalid_request');
    expect((await code('/rooms/lobby/search'))[1].error?.code).toBe('invalid_request');
    expect((await code(`/rooms/lobby/search?q=${'x'.repeat(201)}`))[1].error?.code).toBe('invalid_request');
    expect((await code('/rooms/lobby/search?q=%22%20OR%20*'))[0]).toBe(200); // operators are words, not syntax
    const early = setup({}, false);
    const res = await early.app.request('/rooms/lobby/messages');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('history_unavailable');
  });

  it('lists the themed rooms and the busy ones with their newest offset, online count and what a reader has not seen', async () => {
    const { app, post } = setup({ ROOMS: 'lobby,isekai-tavern' });
    const offsets: number[] = [];
    for (let i = 0; i < 4; i++) offsets.push(((await (await post({ text: `hi ${i}`, room: 'night-owls' })).json()) as { offset: number }).offset);
    await post({ text: 'hello', room: 'lobby' });
    const res = await app.request(`/rooms?read=night-owls:${offsets[1]},secret-club:-1`);
    expect(res.status).toBe(200);
    const { rooms } = (await res.json()) as RoomsInfo;
    expect(rooms.map((r) => r.room)).toEqual(['lobby', 'isekai-tavern', 'night-owls', 'secret-club']);
    expect(rooms.find((r) => r.room === 'night-owls')).toEqual({ room: 'night-owls', latestOffset: offsets[3] as number, online: 0, unread: 2 });
    expect(rooms.find((r) => r.room === 'lobby')).toMatchObject({ online: 2 });
    expect(rooms.find((r) => r.room === 'isekai-tavern')).toEqual({ room: 'isekai-tavern', latestOffset: -1, online: 0 });
    expect(rooms.find((r) => r.room === 'secret-club')).toEqual({ room: 'secret-club', latestOffset: -1, online: 0, unread: 0 });
    // With `mention`, the unread messages that mention that name are counted too.
    await post({ text: '@NightOwl7 are you up?', room: 'night-owls' });
    await post({ text: 'mail nightowl7@example.com', room: 'night-owls' });
    const withMentions = (await (await app.request(`/rooms?read=night-owls:${offsets[1]}&mention=nightowl7`)).json()) as RoomsInfo;
    expect(withMentions.rooms.find((r) => r.room === 'night-owls')).toMatchObject({ unread: 4, mentions: 1 });
    expect((await app.request('/rooms?mention=no%20name')).status).toBe(400);
    for (const bad of ['read=lobby', 'read=Lobby:1', 'read=lobby:x', `read=${Array.from({ length: 51 }, (_, i) => `r${i}:1`).join(',')}`]) {
      expect((await app.request(`/rooms?${bad}`)).status).toBe(400);
    }
  });
});

describe('DELETE /rooms/:room/messages/:offset', () => {
  const remove = (app: Hono, path: string, bearer?: string, body?: string) => app.request(path, {
    method: 'DELETE', headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, ...(body === undefined ? {} : { body }),
  });

  it('lets a moderator remove any message: scrollback keeps its place without text and search no longer finds it', async () => {
    const { app, post, log } = setup();
    await post({ text: 'buy cheap coins now', room: 'lobby' });
    await post({ text: 'hello coins fans', room: 'lobby' });
    const res = await remove(app, '/rooms/lobby/messages/0', MOD_SECRET, JSON.stringify({ reason: 'spam' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ room: 'lobby', target: 0, by: 'moderator:alice', offset: 2 });
    expect(log.redactions).toMatchObject([{ room: 'lobby', target: 0, by: 'moderator:alice', reason: 'spam' }]);
    const page = (await (await app.request('/rooms/lobby/messages')).json()) as HistoryPage;
    expect(page.messages.map((m) => [m.offset, m.text, m.redacted])).toEqual([[0, '', true], [1, 'hello coins fans', undefined]]);
    const found = (await (await app.request('/rooms/lobby/search?q=coins')).json()) as SearchResults;
    expect(found.results.map((m) => m.offset)).toEqual([1]);
    // Removing it again changes nothing and writes nothing.
    const again = await remove(app, '/rooms/lobby/messages/0', MOD_SECRET);
    expect(await again.json()).toMatchObject({ already: true });
    expect(log.redactions).toHaveLength(1);
  });

  it('lets an author remove their own message with their chat token, and nobody else\'s', async () => {
    const { app, post, tokens } = setup();
    await post({ text: 'oops, wrong room', room: 'lobby' }); // BotSensei
    await post({ text: 'not yours', room: 'lobby', username: 'OtherOtter' });
    const mine = tokens.issue('BotSensei');
    const other = await remove(app, '/rooms/lobby/messages/1', mine);
    expect(other.status).toBe(403);
    expect(await errorOf(other)).toBe('forbidden');
    const own = await remove(app, '/rooms/lobby/messages/0', mine);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ target: 0, by: 'author' });
  });

  it('refuses an author after the allowed time', async () => {
    const { app, post, tokens } = setup({ AUTHOR_DELETE_WINDOW_MS: '0' });
    await post({ text: 'too late to take back', room: 'lobby' });
    await Bun.sleep(5);
    const res = await remove(app, '/rooms/lobby/messages/0', tokens.issue('BotSensei'));
    expect(res.status).toBe(403);
  });

  it('answers bad requests with stable codes', async () => {
    const { app, post } = setup();
    await post({ text: 'something', room: 'lobby' });
    const cases: Array<[string, string | undefined, string | undefined, number, string]> = [
      ['/rooms/lobby/messages/0', undefined, undefined, 401, 'unauthorized'],
      ['/rooms/lobby/messages/0', 'not-a-token', undefined, 401, 'unauthorized'],
      ['/rooms/lobby/messages/7', MOD_SECRET, undefined, 404, 'message_not_found'],
      ['/rooms/other-room/messages/0', MOD_SECRET, undefined, 404, 'message_not_found'],
      ['/rooms/lobby/messages/-1', MOD_SECRET, undefined, 400, 'invalid_request'],
      ['/rooms/Lobby!/messages/0', MOD_SECRET, undefined, 400, 'invalid_room'],
      ['/rooms/lobby/messages/0', MOD_SECRET, '{"reason":', 400, 'invalid_json'],
      ['/rooms/lobby/messages/0', MOD_SECRET, JSON.stringify({ reason: 'x'.repeat(201) }), 400, 'invalid_request'],
      ['/rooms/lobby/messages/0', MOD_SECRET, 'x'.repeat(2000), 413, 'body_too_large'],
    ];
    for (const [path, bearer, body, status, code] of cases) {
      const res = await remove(app, path, bearer, body);
      expect([path, bearer, res.status, await errorOf(res)]).toEqual([path, bearer, status, code]);
    }
  });
});

describe('POST /moderation/timeouts', () => {
  const timeOut = (app: Hono, body: unknown, bearer: string | null = MOD_SECRET) => app.request('/moderation/timeouts', {
    method: 'POST', headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('stops a name posting, and its address under any other name, until lifted', async () => {
    const { app, post, log } = setup();
    expect((await post({ text: 'flood 1', room: 'lobby' })).status).toBe(201); // BotSensei, from this address
    const res = await timeOut(app, { name: 'BotSensei', minutes: 10, reason: 'flood' });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { name: string; until: string; by: string };
    expect(answer).toMatchObject({ name: 'BotSensei', by: 'moderator:alice' });
    expect(Date.parse(answer.until) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(log.timeouts[0]).toMatchObject({ name: 'BotSensei', reason: 'flood', source: expect.stringMatching(/^[0-9a-f]{16}$/) });

    const refused = await post({ text: 'flood 2', room: 'lobby' });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toBe('timed_out');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(500);
    const disguised = await post({ text: 'flood 3', room: 'lobby', username: 'FreshName' });
    expect(await errorOf(disguised)).toBe('timed_out'); // same address
    expect(log.records).toHaveLength(1);

    expect((await timeOut(app, { name: 'BotSensei', minutes: 0 })).status).toBe(200); // lifted
    expect((await post({ text: 'behaving now', room: 'lobby' })).status).toBe(201);
  });

  it('times out the author of a message by its offset', async () => {
    const { app, post } = setup();
    await post({ text: 'spam', room: 'lobby', username: 'SpamRobot' });
    const res = await timeOut(app, { room: 'lobby', offset: 0, minutes: 5 });
    expect(await res.json()).toMatchObject({ name: 'SpamRobot' });
  });

  it('is for moderators only, and answers bad requests with stable codes', async () => {
    const { app, tokens } = setup();
    const cases: Array<[unknown, string | null, number, string]> = [
      [{ name: 'BotSensei', minutes: 5 }, null, 401, 'unauthorized'],
      [{ name: 'BotSensei', minutes: 5 }, tokens.issue('BotSensei'), 403, 'forbidden'],
      [{ name: 'no spaces', minutes: 5 }, MOD_SECRET, 400, 'invalid_username'],
      [{ minutes: 5 }, MOD_SECRET, 400, 'invalid_request'],
      [{ name: 'BotSensei', room: 'lobby', offset: 0, minutes: 5 }, MOD_SECRET, 400, 'invalid_request'],
      [{ name: 'BotSensei', minutes: -1 }, MOD_SECRET, 400, 'invalid_request'],
      [{ name: 'BotSensei', minutes: 1.5 }, MOD_SECRET, 400, 'invalid_request'],
      [{ name: 'BotSensei', minutes: 999_999 }, MOD_SECRET, 400, 'invalid_request'],
      [{ room: 'lobby', offset: 42, minutes: 5 }, MOD_SECRET, 404, 'message_not_found'],
      [{ name: 'BotSensei', minutes: 5, reason: 7 }, MOD_SECRET, 400, 'invalid_request'],
      ['{"name":', MOD_SECRET, 400, 'invalid_json'],
    ];
    for (const [body, bearer, status, code] of cases) {
      const res = await timeOut(app, body, bearer);
      const answer = (await res.json()) as { error?: { code: string } };
      expect([body, res.status, answer.error?.code]).toEqual([body, status, code]);
    }
  });
});

describe('PUT /rooms/:room/settings (slow mode)', () => {
  const put = (app: Hono, room: string, body: unknown, bearer: string | null = MOD_SECRET) => app.request(`/rooms/${room}/settings`, {
    method: 'PUT', headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('lets each name post once per interval in the room, with the wait in Retry-After; moderators and other rooms are not slowed', async () => {
    const { app, post, log } = setup();
    const res = await put(app, 'lobby', { slowModeSeconds: 60 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ room: 'lobby', slowModeSeconds: 60, by: 'moderator:alice' });
    expect(log.settings).toHaveLength(1);
    expect((await post({ text: 'first', room: 'lobby' })).status).toBe(201);
    const slowed = await post({ text: 'second', room: 'lobby' });
    expect(slowed.status).toBe(429);
    expect(await errorOf(slowed)).toBe('slow_mode');
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(55);
    expect((await post({ text: 'elsewhere', room: 'tea-house' })).status).toBe(201);
    expect((await post({ text: 'me too', room: 'lobby', username: 'OtherOtter' })).status).toBe(201);
    expect((await post({ text: 'moderator note', room: 'lobby', username: 'ModMika' }, { authorization: `Bearer ${MOD_SECRET}` })).status).toBe(201);
    expect((await post({ text: 'moderator again', room: 'lobby', username: 'ModMika' }, { authorization: `Bearer ${MOD_SECRET}` })).status).toBe(201);
    expect((await put(app, 'lobby', { slowModeSeconds: 0 })).status).toBe(200); // off again
    expect((await post({ text: 'third', room: 'lobby' })).status).toBe(201);
  });

  it('is for moderators only, and refuses bad values', async () => {
    const { app, tokens } = setup();
    const cases: Array<[string, unknown, string | null, number, string]> = [
      ['lobby', { slowModeSeconds: 10 }, null, 401, 'unauthorized'],
      ['lobby', { slowModeSeconds: 10 }, tokens.issue('BotSensei'), 403, 'forbidden'],
      ['lobby', { slowModeSeconds: -1 }, MOD_SECRET, 400, 'invalid_request'],
      ['lobby', { slowModeSeconds: 21_601 }, MOD_SECRET, 400, 'invalid_request'],
      ['lobby', { slowModeSeconds: '10' }, MOD_SECRET, 400, 'invalid_request'],
      ['lobby', {}, MOD_SECRET, 400, 'invalid_request'],
      ['Lobby!', { slowModeSeconds: 10 }, MOD_SECRET, 400, 'invalid_room'],
    ];
    for (const [room, body, bearer, status, code] of cases) {
      const res = await put(app, room, body, bearer);
      const answer = (await res.json()) as { error?: { code: string } };
      expect([room, body, res.status, answer.error?.code]).toEqual([room, body, status, code]);
    }
  });
});

describe('reports', () => {
  const report = (app: Hono, path: string, bearer: string | null, body: unknown = { reason: 'spam' }) => app.request(path, {
    method: 'POST', headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, body: JSON.stringify(body),
  });
  type Queue = { reports: Array<{ id: string; room: string; offset: number; reason: string; by: string; message: { text: string } | null }> };

  it('lets a chatter report a message; moderators see it with the message and dismiss it', async () => {
    const { app, post, tokens } = setup();
    await post({ text: 'buy my coins', room: 'lobby', username: 'SpamRobot' });
    const res = await report(app, '/rooms/lobby/messages/0/reports', tokens.issue('QuietFox'), { reason: 'spam' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const queue = (await (await app.request('/moderation/reports', { headers: { authorization: `Bearer ${MOD_SECRET}` } })).json()) as Queue;
    expect(queue.reports).toMatchObject([{ id, room: 'lobby', offset: 0, reason: 'spam', by: 'QuietFox', message: { text: 'buy my coins' } }]);
    const dismissed = await app.request(`/moderation/reports/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${MOD_SECRET}` } });
    expect(dismissed.status).toBe(200);
    const after = (await (await app.request('/moderation/reports', { headers: { authorization: `Bearer ${MOD_SECRET}` } })).json()) as Queue;
    expect(after.reports).toEqual([]);
  });

  it('needs a chat token to report and a moderator token to read, limits reports per address, and says why', async () => {
    const { app, post, tokens } = setup();
    await post({ text: 'hello', room: 'lobby' });
    const me = tokens.issue('QuietFox');
    const statuses: Array<[string, number]> = [];
    const note = async (what: string, r: Response) => statuses.push([what, r.status]);
    await note('no token', await report(app, '/rooms/lobby/messages/0/reports', null));
    await note('unknown message', await report(app, '/rooms/lobby/messages/9/reports', me));
    await note('long reason', await report(app, '/rooms/lobby/messages/0/reports', me, { reason: 'x'.repeat(201) }));
    await note('queue without token', await app.request('/moderation/reports'));
    await note('queue with a chat token', await app.request('/moderation/reports', { headers: { authorization: `Bearer ${me}` } }));
    expect(statuses).toEqual([['no token', 401], ['unknown message', 404], ['long reason', 400], ['queue without token', 401], ['queue with a chat token', 403]]);
    // Five a minute per address: two went through the limiter above (unknown message, long reason).
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await report(app, '/rooms/lobby/messages/0/reports', me)).status);
    expect(codes).toEqual([202, 202, 202, 429]);
  });
});
