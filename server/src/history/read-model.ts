// The read model: this instance's view of the chat log in an embedded SQLite database (WAL).
// Messages are indexed by room and offset, with a full-text index of their text, and each
// partition's consumer position is stored in the same transaction as the messages read up to
// it, so the view is exactly a prefix of the log: never ahead, never behind by a lost write.
// Kafka stays the only source of truth: a database of another topic or epoch is dropped and
// rebuilt from the log. This is the writing side (the server runs it on a worker thread); the
// answers are in read-queries.ts.
import { Database } from 'bun:sqlite';
import { applyReaction, mentionedNames, type ChatMessage, type Reactions } from '@anime-universe/protocol';
import type { LogEvent } from '../kafka/message-log.ts';
import { makeReadQueries, statementCache, type ReadQueries } from './read-queries.ts';

export { ftsQuery, type Page, type ReadQueries, type Since } from './read-queries.ts';

export interface ViewBatch {
  partition: number;
  messages: readonly ChatMessage[];
  /** The last offset the batch covered: the partition's position becomes through + 1. */
  through: number;
  /** Removals and timeouts read in the batch (applied after its messages). */
  events?: readonly LogEvent[];
}

/** Bumped when the tables change: a database of another schema is rebuilt from the log. */
const SCHEMA = '5';

export interface ReadModel extends ReadQueries {
  /** A new view starting at these offsets (a rebuild from the earliest retained offsets). */
  begin(starts: ReadonlyMap<number, number>): void;
  /** Stores one consumed batch of a partition (and the events in it) and its new position in one transaction. */
  apply(partition: number, messages: readonly ChatMessage[], through: number, events?: readonly LogEvent[]): void;
  /** Stores several batches and their positions in one transaction. */
  applyAll(batches: readonly ViewBatch[]): void;
  /** Drops messages older than `cutoff` (retention) and raises the floors past them. */
  prune(cutoff: Date): number;
  close(): void;
}

export function openReadModel(path: string, identity: { topic: string; epoch: string }): ReadModel {
  const db = new Database(path, { create: true, strict: true });
  const { stmt, finalize } = statementCache(db);
  db.run('PRAGMA journal_mode = WAL');
  db.run('PRAGMA synchronous = NORMAL');
  db.run('PRAGMA busy_timeout = 1000'); // a reading connection may hold a snapshot for a moment
  db.run('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const meta = (key: string) => stmt<{ value: string }, [string]>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  if (meta('topic') !== identity.topic || meta('epoch') !== identity.epoch || meta('schema') !== SCHEMA) {
    // Another log: nothing in here describes this one.
    db.run('DROP TABLE IF EXISTS messages');
    db.run('DROP TABLE IF EXISTS messages_fts');
    db.run('DROP TABLE IF EXISTS partitions');
    db.run('DROP TABLE IF EXISTS timeouts');
    db.run('DROP TABLE IF EXISTS room_settings');
    db.run('DROP TABLE IF EXISTS changes');
    db.run('DROP TABLE IF EXISTS mentions');
    db.run('DROP TABLE IF EXISTS room_passcodes');
    db.run('DROP TABLE IF EXISTS private_messages');
    db.run('DELETE FROM meta');
    stmt('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?)').run('topic', identity.topic, 'epoch', identity.epoch, 'schema', SCHEMA);
  }
  db.run(`CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY, room TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
    id TEXT NOT NULL, username TEXT NOT NULL, text TEXT NOT NULL, timestamp TEXT NOT NULL, client_id TEXT,
    redacted INTEGER NOT NULL DEFAULT 0, reactions TEXT, reply TEXT, reply_to INTEGER, UNIQUE (partition, offset))`);
  db.run('CREATE INDEX IF NOT EXISTS messages_room ON messages (room, offset)');
  db.run('CREATE INDEX IF NOT EXISTS messages_time ON messages (timestamp)');
  db.run('CREATE INDEX IF NOT EXISTS messages_reply ON messages (room, reply_to) WHERE reply_to IS NOT NULL');
  db.run("CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5 (text, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')");
  db.run('CREATE TABLE IF NOT EXISTS partitions (partition INTEGER PRIMARY KEY, position INTEGER NOT NULL, floor INTEGER NOT NULL)');
  // Who may not post until when (kind: name or source); the latest record for a key wins.
  db.run('CREATE TABLE IF NOT EXISTS timeouts (kind TEXT NOT NULL, key TEXT NOT NULL, until INTEGER NOT NULL, PRIMARY KEY (kind, key))');
  db.run('CREATE TABLE IF NOT EXISTS room_settings (room TEXT PRIMARY KEY, slow_mode INTEGER NOT NULL)');
  // Private messages, by thread (never in rooms' pages or search).
  db.run(`CREATE TABLE IF NOT EXISTS private_messages (
    thread TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL, id TEXT NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL,
    text TEXT NOT NULL, timestamp TEXT NOT NULL, client_id TEXT, PRIMARY KEY (partition, offset))`);
  db.run('CREATE INDEX IF NOT EXISTS private_thread ON private_messages (thread, offset)');
  db.run('CREATE INDEX IF NOT EXISTS private_sender ON private_messages (sender)');
  db.run('CREATE INDEX IF NOT EXISTS private_recipient ON private_messages (recipient)');
  // Rooms that need a passcode: the hash of the first passcode record of each room.
  db.run('CREATE TABLE IF NOT EXISTS room_passcodes (room TEXT PRIMARY KEY, hash TEXT NOT NULL)');
  // Which message an event (removal, reaction) at offset `at` changed: a resume from an offset
  // also gets the earlier messages that changed after it.
  db.run('CREATE TABLE IF NOT EXISTS changes (room TEXT NOT NULL, at INTEGER NOT NULL, target INTEGER NOT NULL)');
  db.run('CREATE INDEX IF NOT EXISTS changes_room ON changes (room, at)');
  // Who each message mentions (lowercased names), for unread mention counts.
  db.run('CREATE TABLE IF NOT EXISTS mentions (name TEXT NOT NULL, room TEXT NOT NULL, offset INTEGER NOT NULL, PRIMARY KEY (name, room, offset)) WITHOUT ROWID');

  const insert = stmt<unknown, [string, number, number, string, string, string, string, string | null, string | null, number | null]>(
    'INSERT OR IGNORE INTO messages (room, partition, offset, id, username, text, timestamp, client_id, reply, reply_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const index = stmt<unknown, [number, string]>('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)');
  const setPosition = stmt<unknown, [number, number, number]>(
    'INSERT INTO partitions (partition, position, floor) VALUES (?, ?, ?) ON CONFLICT (partition) DO UPDATE SET position = excluded.position');
  const unindex = stmt<unknown, [number, string]>("INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', ?, ?)");
  const findLive = stmt<{ seq: number; text: string }, [number, number]>('SELECT seq, text FROM messages WHERE partition = ? AND offset = ? AND redacted = 0');
  const blank = stmt<unknown, [number]>("UPDATE messages SET text = '', redacted = 1, reactions = NULL WHERE seq = ?");
  const mention = stmt<unknown, [string, string, number]>('INSERT OR IGNORE INTO mentions (name, room, offset) VALUES (?, ?, ?)');
  const unmention = stmt<unknown, [string, number]>('DELETE FROM mentions WHERE room = ? AND offset = ?');
  const noteChange = stmt<unknown, [string, number, number]>('INSERT INTO changes (room, at, target) VALUES (?, ?, ?)');
  const repliesTo = stmt<{ seq: number; offset: number; reply: string }, [string, number, number]>(
    'SELECT seq, offset, reply FROM messages WHERE room = ? AND reply_to = ? AND offset > ?');
  const storeReply = stmt<unknown, [string, number]>('UPDATE messages SET reply = ? WHERE seq = ?');
  // A removed message keeps its place (offset, author, time) and loses its text, reactions and index entry.
  const redactOne = (partition: number, e: Extract<LogEvent, { kind: 'redaction' }>) => {
    const row = findLive.get(partition, e.target);
    if (!row) return; // not held (before this view began, or pruned), or removed already
    unindex.run(row.seq, row.text);
    blank.run(row.seq);
    unmention.run(e.room, e.target);
    noteChange.run(e.room, e.offset, e.target);
    // Replies to it keep their place and lose the quoted words.
    for (const reply of repliesTo.all(e.room, e.target, e.target)) { // (reply_to, offset) both the target
      const quote = JSON.parse(reply.reply) as { username: string };
      storeReply.run(JSON.stringify({ offset: e.target, username: quote.username, excerpt: '', removed: true }), reply.seq);
      noteChange.run(e.room, e.offset, reply.offset);
    }
  };
  const findReactions = stmt<{ seq: number; reactions: string | null }, [number, number, string]>(
    'SELECT seq, reactions FROM messages WHERE partition = ? AND offset = ? AND room = ? AND redacted = 0');
  const storeReactions = stmt<unknown, [string | null, number]>('UPDATE messages SET reactions = ? WHERE seq = ?');
  // The same fold as every instance's cache and the browser (applyReaction).
  const reactOne = (partition: number, e: Extract<LogEvent, { kind: 'reaction' }>) => {
    const row = findReactions.get(partition, e.target, e.room);
    if (!row) return;
    const before = row.reactions ? (JSON.parse(row.reactions) as Reactions) : undefined;
    const after = applyReaction(before, e.emoji, e.name, e.on);
    if (after === before) return;
    storeReactions.run(after ? JSON.stringify(after) : null, row.seq);
    noteChange.run(e.room, e.offset, e.target);
  };
  const storeTimeout = stmt<unknown, [string, string, number]>('INSERT OR REPLACE INTO timeouts (kind, key, until) VALUES (?, ?, ?)');
  const storePrivate = stmt<unknown, [string, number, number, string, string, string, string, string, string | null]>(
    'INSERT OR IGNORE INTO private_messages (thread, partition, offset, id, sender, recipient, text, timestamp, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const lockRoom = stmt<unknown, [string, string]>('INSERT OR IGNORE INTO room_passcodes (room, hash) VALUES (?, ?)');
  const storeSettings = stmt<unknown, [string, number]>('INSERT OR REPLACE INTO room_settings (room, slow_mode) VALUES (?, ?)');
  const applyOne = (partition: number, messages: readonly ChatMessage[], through: number, events: readonly LogEvent[] = []) => {
    for (const m of messages) {
      const r = insert.run(m.room, partition, m.offset, m.id, m.username, m.text, m.timestamp, m.clientId ?? null, m.replyTo ? JSON.stringify(m.replyTo) : null, m.replyTo?.offset ?? null);
      if (r.changes === 0) continue;
      index.run(Number(r.lastInsertRowid), m.text);
      for (const name of mentionedNames(m.text)) mention.run(name, m.room, m.offset);
    }
    for (const e of events) {
      if (e.kind === 'redaction') redactOne(partition, e);
      else if (e.kind === 'reaction') reactOne(partition, e);
      else if (e.kind === 'passcode') lockRoom.run(e.room, e.hash);
      else if (e.kind === 'dm') {
        const m = e.message;
        storePrivate.run(e.room, partition, m.offset, m.id, m.from, m.to, m.text, m.timestamp, m.clientId ?? null);
      }
      else if (e.kind === 'settings') storeSettings.run(e.room, e.slowModeSeconds);
      else {
        if (e.name) storeTimeout.run('name', e.name, e.until);
        if (e.source) storeTimeout.run('source', e.source, e.until);
      }
    }
    setPosition.run(partition, through + 1, messages[0]?.offset ?? through + 1);
  };
  const applyTx = db.transaction(applyOne);
  const applyAllTx = db.transaction((batches: readonly ViewBatch[]) => {
    for (const b of batches) applyOne(b.partition, b.messages, b.through, b.events);
  });

  return {
    ...makeReadQueries(db, stmt),
    begin(starts) {
      db.transaction(() => {
        db.run('DELETE FROM messages');
        db.run("INSERT INTO messages_fts (messages_fts) VALUES ('delete-all')");
        db.run('DELETE FROM partitions');
        db.run('DELETE FROM changes');
        db.run('DELETE FROM mentions');
        db.run('DELETE FROM private_messages');
        for (const [p, offset] of starts) stmt('INSERT INTO partitions (partition, position, floor) VALUES (?, ?, ?)').run(p, offset, offset);
      })();
    },
    apply: (partition, messages, through, events) => applyTx(partition, messages, through, events),
    applyAll: (batches) => applyAllTx(batches),
    prune(cutoff) {
      return db.transaction(() => {
        const gone = stmt<{ seq: number; partition: number; offset: number; text: string; redacted: number }, [string]>(
          'SELECT seq, partition, offset, text, redacted FROM messages WHERE timestamp < ?').all(cutoff.toISOString());
        const raise = stmt<unknown, [number, number]>('UPDATE partitions SET floor = MAX(floor, ?) WHERE partition = ?');
        for (const g of gone) {
          if (!g.redacted) unindex.run(g.seq, g.text); // a removed message has no index entry left
          raise.run(g.offset + 1, g.partition);
        }
        stmt('DELETE FROM messages WHERE timestamp < ?').run(cutoff.toISOString());
        stmt('DELETE FROM private_messages WHERE timestamp < ?').run(cutoff.toISOString());
        if (gone.length > 0) stmt('DELETE FROM mentions WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.room = mentions.room AND m.offset = mentions.offset)').run();
        if (gone.length > 0) stmt('DELETE FROM changes WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.room = changes.room AND m.offset = changes.target)').run();
        stmt('DELETE FROM timeouts WHERE until < ?').run(Date.now());
        return gone.length;
      })();
    },
    close() {
      finalize();
      db.close(true);
    },
  };
}
