import { beforeEach, describe, expect, it } from 'bun:test';
import type { ChatMessage } from '@anime-universe/protocol';
import { makeChatClient } from './chat-client.ts';
import { FakeSocket, makeClock, welcome } from './test-fakes.ts';

let ids = 0;
function setup(stored: Record<string, string> = {}, getJson?: (url: string) => Promise<unknown>, moderatorToken?: () => string | undefined) {
  const clock = makeClock();
  const storage = new Map(Object.entries(stored));
  const incoming: ChatMessage[] = [];
  const client = makeChatClient({
    wsOrigin: 'ws://chat.test', createSocket: (u) => new FakeSocket(u),
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    newId: () => `c${++ids}`, onChange() {}, onIncoming: (m) => incoming.push(m),
    now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, random: () => 0,
    getJson: getJson ?? (async () => {
      throw new Error('no server in this test');
    }),
    moderatorToken,
  });
  return { client, clock, storage, incoming };
}
const msg = (offset: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${offset}`, room: 'lobby', username: 'Other', text: `t${offset}`, timestamp: '2026-01-01T00:00:00.000Z', offset, ...over,
});

beforeEach(() => {
  FakeSocket.all = [];
});

describe('makeChatClient', () => {
  it('keeps the name across a reload by storing the token', () => {
    const { client, storage } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ token: 'tok-abc' }));
    expect(storage.get('anime-universe.token')).toBe('tok-abc');
    client.stop();
    const reloaded = setup(Object.fromEntries(storage));
    reloaded.client.start();
    expect(FakeSocket.latest().url).toContain('token=tok-abc');
  });

  it('queues messages while offline and sends each once after reconnecting', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().drop(1006);
    expect(client.send('written offline')).toBeUndefined();
    expect(client.snapshot().outbox[0]?.state).toBe('queued');
    clock.advance(1000);
    const s = FakeSocket.latest();
    s.receive(welcome());
    expect(s.sent).toEqual([{ type: 'chat', text: 'written offline', clientId: expect.any(String) }]);
    s.receive({ type: 'chat', ...msg(5, { username: 'SleepyKitsune', clientId: (s.sent[0] as { clientId: string }).clientId, text: 'written offline' }) });
    expect(client.snapshot().outbox).toEqual([]);
    expect(client.snapshot().timeline.items).toHaveLength(1);
  });

  it('keeps a sent message "sending" through a Kafka leader election (past the server deadline) and fails it only after the confirm timeout', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome());
    client.send('during an election');
    expect(client.snapshot().outbox[0]?.state).toBe('sent');
    clock.advance(20_000); // beyond the server's 15 s deadline: the server answers first
    expect(client.snapshot().outbox[0]?.state).toBe('sent');
    clock.advance(10_000);
    expect(client.snapshot().outbox[0]?.state).toBe('failed');
  });

  it('resumes from the last offset and shows missed messages once', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(1), msg(2)] }));
    FakeSocket.latest().drop(1012);
    clock.advance(1000);
    const again = FakeSocket.latest();
    expect(again.url).toContain('since=2');
    again.receive(welcome({ history: [msg(3)], recovered: true }));
    again.receive({ type: 'chat', ...msg(3) });
    expect(client.snapshot().timeline.items.map((i) => i.kind === 'message' && i.message.text)).toEqual(['t1', 't2', 't3']);
  });

  it('puts missed messages that come in history pages after the welcome in their places, with live ones in between', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(1), msg(2)] }));
    client.send('sent just before the drop');
    const clientId = (FakeSocket.latest().sent[0] as { clientId: string }).clientId;
    FakeSocket.latest().drop(1006);
    clock.advance(1000);
    const again = FakeSocket.latest();
    again.receive(welcome({ history: [msg(8), msg(9)], recovered: true, backfill: 5 }));
    again.receive({ type: 'chat', ...msg(10) }); // live, before the pages
    again.receive({ type: 'history', room: 'lobby', messages: [msg(5), msg(6), msg(7)], remaining: 2 });
    again.receive({ type: 'history', room: 'lobby', messages: [msg(3, { username: 'SleepyKitsune', clientId }), msg(4)], remaining: 0 });
    const items = client.snapshot().timeline.items;
    expect(items.map((i) => i.kind === 'message' && i.message.offset)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // no gap marker either
    expect(client.snapshot().outbox).toEqual([]); // its own message came back in a page: confirmed, not resent
  });

  it('resumes again from the same offset when the connection drops before the last backfill page', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(1), msg(2)] }));
    FakeSocket.latest().drop(1006);
    clock.advance(1000);
    const second = FakeSocket.latest();
    second.receive(welcome({ history: [msg(8), msg(9)], recovered: true, backfill: 5 }));
    second.receive({ type: 'history', room: 'lobby', messages: [msg(5), msg(6), msg(7)], remaining: 2 });
    second.drop(1006); // 3 and 4 never came
    clock.advance(5000);
    const third = FakeSocket.latest();
    expect(third).not.toBe(second);
    expect(third.url).toContain('since=2');
    third.receive(welcome({ history: [msg(3), msg(4), msg(5), msg(6), msg(7), msg(8), msg(9)], recovered: true }));
    expect(client.snapshot().timeline.items.map((i) => i.kind === 'message' && i.message.offset)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    third.drop(1006);
    clock.advance(5000);
    expect(FakeSocket.latest().url).toContain('since=9'); // complete again: on from the newest
  });

  it('replaces the view when the server says the client was too far behind (reset), without a gap marker', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(1), msg(2)] }));
    FakeSocket.latest().drop(1006);
    clock.advance(1000);
    FakeSocket.latest().receive(welcome({ history: [msg(5000), msg(5001)], recovered: true, reset: true }));
    const t = client.snapshot().timeline;
    expect(t.items.map((i) => i.kind === 'message' && i.message.offset)).toEqual([5000, 5001]);
    expect(t.atStart).toBeFalsy(); // older messages are a scroll away
  });

  it('follows the room\'s slow mode from the welcome and settings frames, and says it moderates when signed in', () => {
    const { client } = setup({}, undefined, () => 'mod-secret');
    client.start();
    const s = FakeSocket.latest();
    s.receive(welcome({ slowModeSeconds: 30 }));
    expect(s.sent).toContainEqual({ type: 'moderate', token: 'mod-secret' });
    expect(client.snapshot()).toMatchObject({ slowMode: 30, moderating: false });
    s.receive({ type: 'moderating', label: 'mika' });
    s.receive({ type: 'room-settings', room: 'lobby', slowModeSeconds: 0, by: 'moderator:mika' });
    s.receive({ type: 'room-settings', room: 'elsewhere', slowModeSeconds: 60, by: 'moderator:mika' }); // another room: ignored
    expect(client.snapshot()).toMatchObject({ slowMode: 0, moderating: true });
  });

  it('confirms a message stored before the disconnect from the resume history instead of resending it', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome());
    client.send('almost lost');
    const first = FakeSocket.latest();
    const clientId = (first.sent[0] as { clientId: string }).clientId;
    first.drop(1006);
    clock.advance(1000);
    const again = FakeSocket.latest();
    again.receive(welcome({ history: [msg(9, { username: 'SleepyKitsune', clientId, text: 'almost lost' })], recovered: true }));
    expect(again.sent).toEqual([]);
    expect(client.snapshot().outbox).toEqual([]);
  });

  it('shows a refusal that will not pass by itself on the message, and retries it with the same clientId', () => {
    const { client } = setup();
    client.start();
    const s = FakeSocket.latest();
    s.receive(welcome());
    client.send('while Kafka is away');
    const clientId = (s.sent[0] as { clientId: string }).clientId;
    s.receive({ type: 'error', code: 'kafka_unavailable', message: 'Kafka is away', clientId });
    expect(client.snapshot().outbox[0]?.error?.code).toBe('kafka_unavailable');
    client.retry(clientId);
    expect((s.sent[1] as { clientId: string }).clientId).toBe(clientId);
  });

  it('sends a long queue at the pace the welcome allows, and waits when the server says so', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().drop(1006);
    for (let i = 0; i < 30; i++) client.send(`queued ${i}`);
    clock.advance(1000);
    const s = FakeSocket.latest();
    s.receive(welcome({ limits: { maxTextLength: 500, maxFrameBytes: 8192, messagesPerSecond: 2, burst: 8 } }));
    expect(s.sent).toHaveLength(8); // the burst
    clock.advance(1000);
    expect(s.sent).toHaveLength(10); // then two a second
    // The address limit (shared with other tabs) refuses one: it waits as asked, keeps its place, and goes again.
    const refusedId = (s.sent[9] as { clientId: string }).clientId;
    s.receive({ type: 'error', code: 'rate_limited', message: 'Slow down', clientId: refusedId, retryAfterMs: 3000 });
    expect(client.snapshot().outbox.find((i) => i.clientId === refusedId)?.state).toBe('queued');
    clock.advance(2900);
    expect(s.sent).toHaveLength(10);
    // The server stores each as it comes: confirm them as a real server would.
    let offset = 0;
    const confirm = () => {
      for (const f of s.sent.slice(offset)) {
        const { type, clientId, text } = f as { type: string; clientId: string; text: string };
        if (type === 'chat' && offset !== 9) { // index 9 is the refused send
          s.receive({ type: 'chat', ...msg(100 + offset, { id: `s${offset}`, username: 'SleepyKitsune', clientId, text }) });
        }
        offset++;
      }
    };
    for (let i = 0; i < 20; i++) {
      confirm();
      clock.advance(1000);
    }
    confirm();
    expect(s.sent.filter((f) => (f as { type: string }).type === 'chat')).toHaveLength(31);
    expect(s.sent.filter((f) => (f as { clientId: string }).clientId === refusedId)).toHaveLength(2);
    expect(client.snapshot().outbox.filter((i) => i.state === 'failed')).toEqual([]);
  });

  it('resends with the same clientId after "outcome unknown" instead of failing', () => {
    const { client, clock } = setup();
    client.start();
    const s = FakeSocket.latest();
    s.receive(welcome());
    client.send('maybe stored');
    const clientId = (s.sent[0] as { clientId: string }).clientId;
    s.receive({ type: 'error', code: 'outcome_unknown', message: 'maybe', clientId, retryAfterMs: 1000 });
    expect(client.snapshot().outbox[0]?.state).toBe('queued');
    clock.advance(1000);
    expect(s.sent.map((f) => (f as { clientId: string }).clientId)).toEqual([clientId, clientId]);
    // The first attempt is a plain send; the second says it is a retry, so the server reads the
    // log before storing it (the first may have been stored after all).
    expect(s.sent.map((f) => (f as { retry?: boolean }).retry)).toEqual([undefined, true]);
  });

  it('marks a message resent after a reconnect as a retry', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome());
    client.send('in flight when the socket died');
    FakeSocket.latest().drop(1006);
    clock.advance(1000);
    const again = FakeSocket.latest();
    again.receive(welcome());
    expect(again.sent).toEqual([{ type: 'chat', text: 'in flight when the socket died', clientId: expect.any(String), retry: true }]);
  });

  it('sends a private message on its way again as a retry after a reconnect or "outcome unknown", not after a refusal', async () => {
    const { client, clock } = setup({}, async (url) => (url.includes('/messages') ? { peer: 'Aki', messages: [], atStart: true } : { threads: [] }));
    client.start();
    FakeSocket.latest().receive(welcome());
    client.openThread('Aki');
    await Bun.sleep(0);
    expect(client.sendPrivate('are you watching too?')).toBeUndefined();
    expect(client.sendPrivate('no spoilers!')).toBeUndefined();
    const first = FakeSocket.latest();
    const [a, b] = first.sent.filter((f) => (f as { type: string }).type === 'dm') as Array<{ clientId: string }>;
    first.receive({ type: 'error', code: 'dm_refused', message: 'Aki does not take private messages.', clientId: b?.clientId });
    first.drop(1006);
    clock.advance(1000);
    const again = FakeSocket.latest();
    again.receive(welcome());
    // Only the unconfirmed one goes again, as a retry; the refused one waits for the user.
    expect(again.sent.filter((f) => (f as { type: string }).type === 'dm')).toEqual([
      { type: 'dm', to: 'Aki', text: 'are you watching too?', clientId: a?.clientId, retry: true },
    ]);
    again.receive({ type: 'error', code: 'outcome_unknown', message: 'maybe', clientId: a?.clientId, retryAfterMs: 1000 });
    expect(client.snapshot().private.open?.pending.map((p) => p.error)).toEqual([undefined, 'Aki does not take private messages.']);
    clock.advance(1000);
    expect(again.sent.filter((f) => (f as { type: string }).type === 'dm')).toHaveLength(2);
    // Stored (the log's copy comes back): no longer on its way, never sent again.
    again.receive({ type: 'dm', message: { id: 'd1', from: 'SleepyKitsune', to: 'Aki', text: 'are you watching too?', timestamp: 'x', offset: 4, clientId: a?.clientId } });
    again.drop(1006);
    clock.advance(1000);
    const third = FakeSocket.latest();
    third.receive(welcome());
    expect(third.sent.filter((f) => (f as { type: string }).type === 'dm')).toEqual([]);
  });

  it('starts the room clean when the log epoch changed, and resumes with its epoch', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(41), msg(42)], epoch: 'old' }));
    FakeSocket.latest().drop(1012);
    clock.advance(1000);
    const again = FakeSocket.latest();
    expect(again.url).toContain('since=42');
    expect(again.url).toContain('epoch=old');
    again.receive(welcome({ history: [msg(0, { id: 'new0' })], epoch: 'new', recovered: false }));
    expect(client.snapshot().timeline.items.map((i) => i.kind === 'message' && i.message.id)).toEqual(['new0']);
    expect(client.snapshot().timeline.lastOffset).toBe(0);
  });

  it('keeps the epoch through live messages, so the next resume names it', () => {
    const { client, clock } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(1)], epoch: 'e7' }));
    FakeSocket.latest().receive({ type: 'chat', ...msg(2) });
    FakeSocket.latest().drop(1006);
    clock.advance(1000);
    expect(FakeSocket.latest().url).toContain('since=2');
    expect(FakeSocket.latest().url).toContain('epoch=e7');
  });

  it('loads older messages above the shown ones, page by page, until the beginning of the room', async () => {
    const asked: string[] = [];
    const pages = [
      { room: 'lobby', messages: [msg(10), msg(11)], atStart: false },
      { room: 'lobby', messages: [msg(9)], atStart: true },
    ];
    const { client } = setup({}, async (url) => {
      if (!url.includes('/messages?')) return { rooms: [] }; // the room list
      asked.push(url);
      return pages.shift();
    });
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(12), msg(13)] }));
    client.loadOlder();
    expect(client.snapshot().older).toBe('loading');
    client.loadOlder(); // one request at a time
    await Bun.sleep(0);
    expect(client.snapshot().timeline.items.map((i) => i.kind === 'message' && i.message.offset)).toEqual([10, 11, 12, 13]);
    client.loadOlder();
    await Bun.sleep(0);
    expect(client.snapshot().timeline.atStart).toBe(true);
    client.loadOlder(); // nothing older: no request
    expect(asked).toEqual(['http://chat.test/rooms/lobby/messages?before=12&limit=50', 'http://chat.test/rooms/lobby/messages?before=10&limit=50']);
    expect(client.snapshot().timeline.items.map((i) => i.kind === 'message' && i.message.offset)).toEqual([9, 10, 11, 12, 13]);
  });

  it('shows a failed load of older messages so the user can try again', async () => {
    const { client } = setup({}, async () => {
      throw new Error('HTTP 503');
    });
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(12)] }));
    client.loadOlder();
    await Bun.sleep(0);
    expect(client.snapshot().older).toBe('failed');
  });

  it('counts unread messages (and mentions of me) in other rooms, remembers what was read, and marks where new messages begin', async () => {
    const asked: string[] = [];
    const { client, storage } = setup({ 'anime-universe.read': JSON.stringify({ lobby: 5, 'night-owls': 3 }) }, async (url) => {
      asked.push(url);
      if (url.includes('/rooms?')) return { rooms: [{ room: 'lobby', latestOffset: 7, online: 2 }, { room: 'night-owls', latestOffset: 9, online: 1, unread: 4, mentions: 1 }] };
      throw new Error('unexpected');
    });
    client.start();
    expect(client.snapshot().readBefore).toBe(5);
    FakeSocket.latest().receive(welcome({ history: [msg(6), msg(7)], rooms: ['lobby', 'isekai-tavern'] }));
    await Bun.sleep(0);
    expect(JSON.parse(storage.get('anime-universe.read') as string)).toEqual({ lobby: 7, 'night-owls': 3 });
    expect(asked).toEqual([`http://chat.test/rooms?read=${encodeURIComponent('night-owls:3')}&mention=SleepyKitsune`]);
    expect(client.snapshot().unread).toEqual({ 'night-owls': 4 });
    expect(client.snapshot().mentions).toEqual({ 'night-owls': 1 });
    expect(client.snapshot().rooms).toEqual(['lobby', 'isekai-tavern', 'night-owls']);
    FakeSocket.latest().receive({ type: 'chat', ...msg(8) });
    expect(JSON.parse(storage.get('anime-universe.read') as string).lobby).toBe(8);
    client.switchRoom('night-owls');
    expect(client.snapshot().readBefore).toBe(3);
    expect(client.snapshot().unread).toEqual({});
    expect(client.snapshot().mentions).toEqual({});
  });

  it('asks for the room\'s names once per connection and follows presence, for mention suggestions', () => {
    const { client } = setup();
    client.start();
    const s = FakeSocket.latest();
    s.receive(welcome());
    client.loadNames();
    client.loadNames();
    expect(s.sent.filter((f) => (f as { type: string }).type === 'users')).toEqual([{ type: 'users' }]);
    s.receive({ type: 'users', room: 'lobby', users: ['Bb', 'Aa'], next: 'Bb' });
    expect(s.sent.at(-1)).toEqual({ type: 'users', after: 'Bb' });
    s.receive({ type: 'users', room: 'lobby', users: ['Cc'] });
    s.receive({ type: 'presence', room: 'lobby', joined: ['Dd'], left: ['Aa'], online: 3, timestamp: 'x' });
    expect(client.snapshot().names).toEqual(['Bb', 'Cc', 'Dd']);
  });

  it('refuses empty and too long text before sending anything', () => {
    const { client } = setup();
    expect(client.send('   ')).toBe('text_empty');
    expect(client.send('x'.repeat(501))).toBe('text_too_long');
    expect(client.snapshot().outbox).toEqual([]);
  });

  it('switches rooms on a new connection and keeps each room\'s history apart', () => {
    const { client } = setup();
    client.start();
    FakeSocket.latest().receive(welcome({ history: [msg(1)] }));
    client.switchRoom('isekai-tavern');
    const s = FakeSocket.latest();
    expect(s.url).toContain('room=isekai-tavern');
    expect(s.url).not.toContain('since=');
    s.receive(welcome({ room: 'isekai-tavern', history: [msg(7, { room: 'isekai-tavern', text: 'tavern' })] }));
    expect(client.snapshot().timeline.items.map((i) => i.kind === 'message' && i.message.text)).toEqual(['tavern']);
  });

  it('sends reactions, folds the room\'s reaction frames in, and reports a refusal of its own reaction', () => {
    const refusals: string[] = [];
    const clock = makeClock();
    const client = makeChatClient({
      wsOrigin: 'ws://chat.test', createSocket: (u) => new FakeSocket(u), storage: { getItem: () => null, setItem() {} },
      newId: () => `r${++ids}`, onChange() {}, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, random: () => 0,
      onRefused: (m) => refusals.push(m),
    });
    client.start();
    expect(client.react(0, '🔥', true)).toBe(false); // not connected yet: nothing sent
    const s = FakeSocket.latest();
    s.receive(welcome({ history: [msg(0), msg(1)] }));
    expect(client.react(0, '🔥', true)).toBe(true);
    const sent = s.sent.at(-1) as { type: string; target: number; emoji: string; on: boolean; clientId: string };
    expect(sent).toMatchObject({ type: 'react', target: 0, emoji: '🔥', on: true });
    s.receive({ type: 'reaction', room: 'lobby', target: 0, emoji: '🔥', name: 'SleepyKitsune', on: true });
    s.receive({ type: 'reaction', room: 'other-room', target: 1, emoji: '🔥', name: 'X1', on: true }); // another room: ignored
    const shown = client.snapshot().timeline.items.map((i) => (i.kind === 'message' ? i.message.reactions ?? null : null));
    expect(shown).toEqual([{ '🔥': ['SleepyKitsune'] }, null]);
    s.receive({ type: 'error', code: 'message_removed', message: 'That message was removed.', clientId: sent.clientId });
    expect(refusals).toEqual(['That message was removed.']);
    expect(client.snapshot().outbox).toEqual([]);
  });

  it('sends a reply with the offset of its original and shows the quote while it is pending', () => {
    const { client } = setup();
    client.start();
    const s = FakeSocket.latest();
    s.receive(welcome({ history: [msg(4, { text: 'a long\nquestion' })] }));
    expect(client.send('an answer', msg(4, { text: 'a long\nquestion' }))).toBeUndefined();
    expect(s.sent.at(-1)).toMatchObject({ type: 'chat', text: 'an answer', replyTo: 4 });
    expect(client.snapshot().outbox[0]?.replyTo).toEqual({ offset: 4, username: 'Other', excerpt: 'a long question' });
  });

  it('takes a new name with its token, tells "X is now Y" for others, and reports a refused change', () => {
    const refusals: string[] = [];
    const clock = makeClock();
    const storage = new Map<string, string>();
    const client = makeChatClient({
      wsOrigin: 'ws://chat.test', createSocket: (u) => new FakeSocket(u), storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
      newId: () => `n${++ids}`, onChange() {}, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, random: () => 0,
      onRefused: (m) => refusals.push(m),
    });
    client.start();
    const s = FakeSocket.latest();
    s.receive(welcome());
    expect(client.rename()).toBe(true);
    expect(s.sent.at(-1)).toEqual({ type: 'rename' });
    s.receive({ type: 'renamed', room: 'lobby', from: 'SleepyKitsune', to: 'BraveOni' }); // the room's copy: no notice for me
    s.receive({ type: 'renamed', room: 'lobby', from: 'SleepyKitsune', to: 'BraveOni', token: 'tok-new' });
    s.receive({ type: 'renamed', room: 'lobby', from: 'Aki', to: 'Rin' });
    expect(client.snapshot().me).toEqual({ username: 'BraveOni', token: 'tok-new' });
    expect(storage.get('anime-universe.token')).toBe('tok-new');
    expect(client.snapshot().timeline.items.map((i) => (i.kind === 'notice' ? i.text : i.kind))).toEqual(['You are now BraveOni', 'Aki is now Rin']);
    client.rename();
    s.receive({ type: 'error', code: 'rate_limited', message: 'You can take another name in 29 s.' });
    expect(refusals).toEqual(['You can take another name in 29 s.']);
  });

  it('announces messages from others only', () => {
    const { client, incoming } = setup();
    client.start();
    const s = FakeSocket.latest();
    s.receive(welcome());
    s.receive({ type: 'chat', ...msg(1) });
    s.receive({ type: 'chat', ...msg(2, { username: 'SleepyKitsune' }) });
    s.receive({ type: 'chat', ...msg(1) });
    expect(incoming.map((m) => m.id)).toEqual(['m1']);
  });
});
