import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ChatMessage } from '@anime-universe/protocol';
import { Database } from 'bun:sqlite';
import { ftsQuery, openReadModel } from './read-model.ts';

const dirs: string[] = [];
const file = () => {
  const dir = mkdtempSync(`${tmpdir()}/read-model-`);
  dirs.push(dir);
  return `${dir}/history.sqlite`;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const id = { topic: 'chat', epoch: 'e1' };
const msg = (room: string, offset: number, text = `message ${offset}`, timestamp = '2026-11-23T10:00:00.000Z'): ChatMessage => ({
  id: `${room}-${offset}`, room, username: 'QuietFox', text, timestamp, offset,
});

describe('the read model', () => {
  it('stores batches with their positions and keeps both across a reopen', () => {
    const path = file();
    const a = openReadModel(path, id);
    a.begin(new Map([[0, 0], [1, 0]]));
    a.apply(0, [msg('lobby', 0), msg('lobby', 1)], 1);
    a.apply(0, [], 4); // records that were no messages (markers) still move the position
    a.close();
    const b = openReadModel(path, id);
    expect(b.positions()).toEqual(new Map([[0, 5], [1, 0]]));
    expect(b.since('lobby', 0, -1, 10)).toEqual({ messages: [msg('lobby', 0), msg('lobby', 1)], complete: true, position: 5 });
    b.close();
  });

  it('stores several batches with their positions in one transaction', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0], [1, 0]]));
    m.applyAll([
      { partition: 0, messages: [msg('lobby', 0)], through: 0 },
      { partition: 1, messages: [msg('other', 0)], through: 3 },
      { partition: 0, messages: [msg('lobby', 1)], through: 1 },
    ]);
    expect(m.positions()).toEqual(new Map([[0, 2], [1, 4]]));
    expect(m.since('lobby', 0, -1, 10).messages.map((x) => x.offset)).toEqual([0, 1]);
    m.close();
  });

  it('drops a database of another topic or epoch', () => {
    const path = file();
    const a = openReadModel(path, id);
    a.begin(new Map([[0, 0]]));
    a.apply(0, [msg('lobby', 0)], 0);
    a.close();
    const b = openReadModel(path, { topic: 'chat', epoch: 'e2' });
    expect(b.positions().size).toBe(0);
    expect(b.since('lobby', 0, -1, 10).messages).toEqual([]);
    b.close();
  });

  it('stores a record read twice (after a restart) once', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    m.apply(0, [msg('lobby', 0), msg('lobby', 1)], 1);
    m.apply(0, [msg('lobby', 1), msg('lobby', 2)], 2);
    expect(m.since('lobby', 0, -1, 10).messages.map((x) => x.offset)).toEqual([0, 1, 2]);
    expect(m.search('lobby', 'message', 10)).toHaveLength(3);
    m.close();
  });

  it('answers a resume exactly, and says when it cannot (too many, or older than the view)', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 100]]));
    m.apply(0, Array.from({ length: 50 }, (_, i) => msg('lobby', 100 + 2 * i)), 199);
    expect(m.since('lobby', 0, 149, 100)).toMatchObject({ complete: true });
    expect(m.since('lobby', 0, 149, 100).messages.map((x) => x.offset)).toEqual(Array.from({ length: 25 }, (_, i) => 150 + 2 * i));
    expect(m.since('lobby', 0, 149, 10).complete).toBe(false);
    expect(m.since('lobby', 0, 50, 1000).complete).toBe(false); // before the view began
    m.close();
  });

  it('pages back from the newest to the start, each message once', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    m.apply(0, Array.from({ length: 25 }, (_, i) => msg(i % 2 ? 'other' : 'lobby', i)), 24);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = m.before('lobby', 0, before, 5);
      seen.unshift(...page.messages.map((x) => x.offset));
      if (page.atStart) break;
      before = page.messages[0]?.offset;
    }
    expect(seen).toEqual(Array.from({ length: 13 }, (_, i) => 2 * i));
    m.close();
  });

  it('finds messages by word in one room only, whatever the query contains', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    m.apply(0, [msg('lobby', 0, 'Who saw the Naruto finale?'), msg('other', 1, 'naruto is on tonight'), msg('lobby', 2, 'Café au lait')], 2);
    expect(m.search('lobby', 'naruto', 10).map((x) => x.offset)).toEqual([0]);
    expect(m.search('lobby', 'NARU', 10).map((x) => x.offset)).toEqual([0]); // prefixes match
    expect(m.search('lobby', 'cafe', 10).map((x) => x.offset)).toEqual([2]); // accents folded
    expect(m.search('lobby', '" OR * NEAR(', 10)).toEqual([]); // no syntax error from user input
    expect(ftsQuery('  ')).toBeUndefined();
    m.close();
  });

  it('lists the busiest recent rooms with their newest offset, and counts what a reader has not seen', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    m.apply(0, [
      msg('quiet', 0, 'old', '2026-11-01T00:00:00.000Z'),
      msg('busy', 1), msg('busy', 2), msg('busy', 3), msg('calm', 4),
    ], 4);
    expect(m.activeRooms(new Date('2026-11-20T00:00:00.000Z'), 10)).toEqual([
      { room: 'busy', latestOffset: 3, recent: 3 }, { room: 'calm', latestOffset: 4, recent: 1 },
    ]);
    expect(m.latestOffset('quiet')).toBe(0);
    expect(m.latestOffset('nowhere')).toBe(-1);
    expect(m.countAfter('busy', 1, 100)).toBe(2);
    expect(m.countAfter('busy', 1, 1)).toBe(1); // capped
    m.close();
  });

  it('prunes messages past retention from the view and its search', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    m.apply(0, [msg('lobby', 0, 'old news', '2026-11-01T00:00:00.000Z'), msg('lobby', 1, 'fresh news', '2026-11-23T00:00:00.000Z')], 1);
    expect(m.prune(new Date('2026-11-16T00:00:00.000Z'))).toBe(1);
    expect(m.search('lobby', 'news', 10).map((x) => x.text)).toEqual(['fresh news']);
    expect(m.before('lobby', 0, undefined, 10)).toEqual({ messages: [msg('lobby', 1, 'fresh news', '2026-11-23T00:00:00.000Z')], atStart: true });
    expect(m.since('lobby', 0, -1, 10).complete).toBe(false); // offset 0 is gone
    expect(m.since('lobby', 0, 0, 10).complete).toBe(true);
    m.close();
  });
});

const removal = (target: number, offset: number) => ({ kind: 'redaction' as const, room: 'lobby', target, by: 'moderator:mika', offset });

describe('removed messages in the read model', () => {
  it('keeps a removed message\'s place without its text, drops it from search, and a rebuild folds the same', () => {
    const fold = (m: ReturnType<typeof openReadModel>) => {
      m.begin(new Map([[0, 0]]));
      // One batch: two messages and a removal of the first; then a removal of something never held.
      m.apply(0, [msg('lobby', 0, 'buy cheap coins'), msg('lobby', 1, 'coins are fun')], 2, [removal(0, 2)]);
      m.apply(0, [], 3, [removal(99, 3)]);
    };
    const a = openReadModel(file(), id);
    fold(a);
    const page = a.before('lobby', 0, undefined, 10).messages;
    expect(page.map((m) => [m.offset, m.text, m.redacted])).toEqual([[0, '', true], [1, 'coins are fun', undefined]]);
    expect(a.search('lobby', 'coins', 10).map((m) => m.offset)).toEqual([1]);
    expect(a.since('lobby', 0, -1, 10).messages[0]).toMatchObject({ offset: 0, text: '', redacted: true });
    expect(a.messageAt('lobby', 0)).toMatchObject({ redacted: true });
    expect(a.positions()).toEqual(new Map([[0, 4]]));
    // Pruning a removed message works although it has no index entry left.
    expect(a.prune(new Date('2026-12-01T00:00:00.000Z'))).toBe(2);
    const b = openReadModel(file(), id);
    fold(b);
    expect(b.before('lobby', 0, undefined, 10)).toEqual({ messages: page, atStart: true });
  });

  it('folds reactions like every instance does, clears them on removal, and lists what changed after a resume offset', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    const react = (target: number, offset: number, name: string, on = true, emoji = '🍥') => ({ kind: 'reaction' as const, room: 'lobby', target, emoji, name, on, offset });
    m.apply(0, [msg('lobby', 0), msg('lobby', 1), msg('lobby', 2)], 2);
    m.apply(0, [], 7, [react(0, 3, 'Aki'), react(0, 4, 'Rin'), react(0, 5, 'Aki'), react(1, 6, 'Aki'), react(0, 7, 'Rin', false)]);
    expect(m.messageAt('lobby', 0)?.reactions).toEqual({ '🍥': ['Aki'] });
    expect(m.before('lobby', 0, undefined, 10).messages.map((x) => x.reactions ?? null)).toEqual([{ '🍥': ['Aki'] }, { '🍥': ['Aki'] }, null]);
    m.apply(0, [], 8, [removal(1, 8)]);
    expect(m.messageAt('lobby', 1)).toMatchObject({ redacted: true, text: '' });
    expect(m.messageAt('lobby', 1)?.reactions).toBeUndefined();
    m.apply(0, [], 9, [react(1, 9, 'Rin')]); // a removed message takes no reactions
    expect(m.messageAt('lobby', 1)?.reactions).toBeUndefined();
    expect(m.changedSince('lobby', 2, 10).map((x) => x.offset)).toEqual([0, 1]);
    expect(m.changedSince('lobby', 7, 10).map((x) => x.offset)).toEqual([1]);
    expect(m.changedSince('lobby', 8, 10)).toEqual([]);
    m.close();
  });

  it('keeps the quote of a reply, and blanks it when the original is removed', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    const quote = { offset: 0, username: 'QuietFox', excerpt: 'message 0' };
    m.apply(0, [msg('lobby', 0), { ...msg('lobby', 1), replyTo: quote }, { ...msg('other', 2), replyTo: quote }], 2);
    expect(m.messageAt('lobby', 1)?.replyTo).toEqual(quote);
    m.apply(0, [], 3, [removal(0, 3)]);
    expect(m.messageAt('lobby', 1)?.replyTo).toEqual({ offset: 0, username: 'QuietFox', excerpt: '', removed: true });
    expect(m.messageAt('other', 2)?.replyTo).toEqual(quote); // another room's offset 0 is another message
    expect(m.changedSince('lobby', 2, 10).map((x) => x.offset)).toEqual([0, 1]);
    m.close();
  });

  it('counts mentions of a name after an offset, without case, and forgets those of a removed message', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    m.apply(0, [msg('lobby', 0, 'hi @Aki'), msg('lobby', 1, '@aki @AKI look'), msg('lobby', 2, 'mail aki@example.com'), msg('lobby', 3, '@Rin hi'), msg('cafe', 4, '@Aki there')], 4);
    expect(m.countMentions('lobby', 'Aki', -1, 99)).toBe(2);
    expect(m.countMentions('lobby', 'aki', 0, 99)).toBe(1);
    expect(m.countMentions('cafe', 'AKI', -1, 99)).toBe(1);
    m.apply(0, [], 5, [removal(1, 5)]);
    expect(m.countMentions('lobby', 'Aki', -1, 99)).toBe(1);
    m.close();
  });

  it('keeps the latest timeout per name and address, and answers those still running', () => {
    const m = openReadModel(file(), id);
    m.begin(new Map([[0, 0]]));
    const timeout = (offset: number, until: number, who: { name?: string; source?: string }) => ({ kind: 'timeout' as const, room: 'lobby', by: 'moderator:mika', offset, until, ...who });
    m.apply(0, [], 2, [timeout(0, 5000, { name: 'LoudBot7' }), timeout(1, 9000, { source: '0123456789abcdef' }), timeout(2, 9000, { name: 'Other' })]);
    m.apply(0, [], 3, [timeout(3, 1000, { name: 'Other' })]); // lifted early: the latest record wins
    expect(m.activeTimeouts(2000).toSorted((a, b) => a.key.localeCompare(b.key))).toEqual([
      { kind: 'source', key: '0123456789abcdef', until: 9000 }, { kind: 'name', key: 'LoudBot7', until: 5000 },
    ]);
    expect(m.activeTimeouts(6000)).toEqual([{ kind: 'source', key: '0123456789abcdef', until: 9000 }]);
  });

  it('rebuilds a database written with an older schema', () => {
    const path = file();
    const old = new Database(path);
    old.run('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    old.run("INSERT INTO meta VALUES ('topic', 'chat'), ('epoch', 'e1')");
    old.run('CREATE TABLE partitions (partition INTEGER PRIMARY KEY, position INTEGER NOT NULL, floor INTEGER NOT NULL)');
    old.run('INSERT INTO partitions VALUES (0, 500, 0)');
    old.close();
    const m = openReadModel(path, id);
    expect(m.positions()).toEqual(new Map()); // not trusted: read again from the log
    m.close();
  });
});
