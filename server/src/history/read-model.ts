// The read model: this instance's view of the chat log in an embedded SQLite database (WAL).
// Messages are indexed by room and offset, with a full-text index of their text, and each
// partition's consumer position is stored in the same transaction as the messages read up to
// it, so the view is exactly a prefix of the log: never ahead, never behind by a lost write.
// Kafka stays the only source of truth: a database of another topic or epoch is dropped and
// rebuilt from the log.
import { Database, type SQLQueryBindings, type Statement } from 'bun:sqlite';
import type { ChatMessage } from '@anime-universe/protocol';

export interface Page {
  /** Oldest first. */
  messages: ChatMessage[];
  /** True when nothing older is retained: the page reaches the start of the room. */
  atStart: boolean;
}

export interface Since {
  /** Oldest first. */
  messages: ChatMessage[];
  /** True when these are all the room's messages after the offset up to the stored position. */
  complete: boolean;
}

export interface ReadModel {
  /** Next offset to read per partition, as stored; empty for a new database. */
  positions(): Map<number, number>;
  /** Lowest offset per partition from which every message is held (where the view began). */
  floors(): Map<number, number>;
  /** A new view starting at these offsets (a rebuild from the earliest retained offsets). */
  begin(starts: ReadonlyMap<number, number>): void;
  /** Stores one consumed batch of a partition and its new position in one transaction. */
  apply(partition: number, messages: readonly ChatMessage[], through: number): void;
  /** Stores several batches and their positions in one transaction. */
  applyAll(batches: ReadonlyArray<{ partition: number; messages: readonly ChatMessage[]; through: number }>): void;
  since(room: string, partition: number, offset: number, limit: number): Since;
  /** The `limit` messages before `offset` (or the newest, without it), oldest first. */
  before(room: string, partition: number, offset: number | undefined, limit: number): Page;
  search(room: string, query: string, limit: number): ChatMessage[];
  /** Rooms with messages since `since`, busiest first, with their newest offset. */
  activeRooms(since: Date, limit: number): Array<{ room: string; latestOffset: number; recent: number }>;
  /** The newest offset of a room, or -1. */
  latestOffset(room: string): number;
  /** Messages of the room after `offset`, counted up to `max`. */
  countAfter(room: string, offset: number, max: number): number;
  /** Drops messages older than `cutoff` (retention) and raises the floors past them. */
  prune(cutoff: Date): number;
  close(): void;
}

interface Row {
  offset: number;
  id: string;
  room: string;
  username: string;
  text: string;
  timestamp: string;
  client_id: string | null;
}

const toMessage = (r: Row): ChatMessage => ({
  id: r.id, room: r.room, username: r.username, text: r.text, timestamp: r.timestamp, offset: r.offset,
  ...(r.client_id ? { clientId: r.client_id } : {}),
});

/** Words of a user's query as an FTS5 expression that cannot be a syntax error: each word quoted, all required. */
export function ftsQuery(query: string): string | undefined {
  const words = query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return undefined;
  return words.slice(0, 16).map((w) => `"${w}"*`).join(' ');
}

export function openReadModel(path: string, identity: { topic: string; epoch: string }, exclusive = false): ReadModel {
  const db = new Database(path, { create: true, strict: true });
  // Every statement is prepared once and finalized on close: an unfinalized statement keeps the
  // connection (and its exclusive lock) alive after close.
  const statements = new Map<string, Statement>();
  const stmt = <R = unknown, P extends SQLQueryBindings[] = SQLQueryBindings[]>(sql: string): Statement<R, P> => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s as unknown as Statement<R, P>;
  };
  // One process per file: the lock is taken by the first write below and held until close.
  if (exclusive) db.run('PRAGMA locking_mode = EXCLUSIVE');
  db.run('PRAGMA journal_mode = WAL');
  db.run('PRAGMA synchronous = NORMAL');
  db.run('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('opened', datetime('now'))"); // takes the write lock now
  const meta = (key: string) => stmt<{ value: string }, [string]>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  if (meta('topic') !== identity.topic || meta('epoch') !== identity.epoch) {
    // Another log: nothing in here describes this one.
    db.run('DROP TABLE IF EXISTS messages');
    db.run('DROP TABLE IF EXISTS messages_fts');
    db.run('DROP TABLE IF EXISTS partitions');
    db.run('DELETE FROM meta');
    stmt('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run('topic', identity.topic, 'epoch', identity.epoch);
  }
  db.run(`CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY, room TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
    id TEXT NOT NULL, username TEXT NOT NULL, text TEXT NOT NULL, timestamp TEXT NOT NULL, client_id TEXT,
    UNIQUE (partition, offset))`);
  db.run('CREATE INDEX IF NOT EXISTS messages_room ON messages (room, offset)');
  db.run('CREATE INDEX IF NOT EXISTS messages_time ON messages (timestamp)');
  db.run("CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5 (text, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')");
  db.run('CREATE TABLE IF NOT EXISTS partitions (partition INTEGER PRIMARY KEY, position INTEGER NOT NULL, floor INTEGER NOT NULL)');

  const insert = stmt<unknown, [string, number, number, string, string, string, string, string | null]>(
    'INSERT OR IGNORE INTO messages (room, partition, offset, id, username, text, timestamp, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const index = stmt<unknown, [number, string]>('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)');
  const setPosition = stmt<unknown, [number, number, number]>(
    'INSERT INTO partitions (partition, position, floor) VALUES (?, ?, ?) ON CONFLICT (partition) DO UPDATE SET position = excluded.position');
  const columns = 'offset, id, room, username, text, timestamp, client_id';
  const applyOne = (partition: number, messages: readonly ChatMessage[], through: number) => {
    for (const m of messages) {
      const r = insert.run(m.room, partition, m.offset, m.id, m.username, m.text, m.timestamp, m.clientId ?? null);
      if (r.changes > 0) index.run(Number(r.lastInsertRowid), m.text);
    }
    setPosition.run(partition, through + 1, messages[0]?.offset ?? through + 1);
  };
  const applyTx = db.transaction(applyOne);
  const applyAllTx = db.transaction((batches: ReadonlyArray<{ partition: number; messages: readonly ChatMessage[]; through: number }>) => {
    for (const b of batches) applyOne(b.partition, b.messages, b.through);
  });
  const partitionsMap = (column: 'position' | 'floor') =>
    new Map(stmt<{ partition: number; v: number }, []>(`SELECT partition, ${column} AS v FROM partitions`).all().map((r) => [r.partition, r.v]));
  const floorOf = (partition: number) => partitionsMap('floor').get(partition);

  return {
    positions: () => partitionsMap('position'),
    floors: () => partitionsMap('floor'),
    begin(starts) {
      db.transaction(() => {
        db.run('DELETE FROM messages');
        db.run("INSERT INTO messages_fts (messages_fts) VALUES ('delete-all')");
        db.run('DELETE FROM partitions');
        for (const [p, offset] of starts) stmt('INSERT INTO partitions (partition, position, floor) VALUES (?, ?, ?)').run(p, offset, offset);
      })();
    },
    apply: (partition, messages, through) => applyTx(partition, messages, through),
    applyAll: (batches) => applyAllTx(batches),
    since(room, partition, offset, limit) {
      const rows = stmt<Row, [string, number, number]>(`SELECT ${columns} FROM messages WHERE room = ? AND offset > ? ORDER BY offset LIMIT ?`)
        .all(room, offset, limit + 1);
      const floor = floorOf(partition);
      const complete = floor !== undefined && offset + 1 >= floor && rows.length <= limit;
      return { messages: rows.slice(0, limit).map(toMessage), complete };
    },
    before(room, _partition, offset, limit) {
      const rows = stmt<Row, [string, number, number]>(`SELECT ${columns} FROM messages WHERE room = ? AND offset < ? ORDER BY offset DESC LIMIT ?`)
        .all(room, offset ?? Number.MAX_SAFE_INTEGER, limit + 1);
      // The view begins at the earliest offset the log retained (see begin), so when nothing
      // older is here, nothing older exists.
      return { messages: rows.slice(0, limit).reverse().map(toMessage), atStart: rows.length <= limit };
    },
    search(room, query, limit) {
      const match = ftsQuery(query);
      if (!match) return [];
      return stmt<Row, [string, string, number]>(
        `SELECT m.offset, m.id, m.room, m.username, m.text, m.timestamp, m.client_id FROM messages_fts f JOIN messages m ON m.seq = f.rowid
         WHERE messages_fts MATCH ? AND m.room = ? ORDER BY f.rank LIMIT ?`).all(match, room, limit).map(toMessage);
    },
    activeRooms(since, limit) {
      return stmt<{ room: string; latestOffset: number; recent: number }, [string, number]>(
        'SELECT room, MAX(offset) AS latestOffset, COUNT(*) AS recent FROM messages WHERE timestamp >= ? GROUP BY room ORDER BY recent DESC, room LIMIT ?',
      ).all(since.toISOString(), limit);
    },
    latestOffset(room) {
      return stmt<{ latest: number | null }, [string]>('SELECT MAX(offset) AS latest FROM messages WHERE room = ?').get(room)?.latest ?? -1;
    },
    countAfter(room, offset, max) {
      return stmt<{ n: number }, [string, number, number]>('SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages WHERE room = ? AND offset > ? LIMIT ?)')
        .get(room, offset, max)?.n ?? 0;
    },
    prune(cutoff) {
      return db.transaction(() => {
        const gone = stmt<{ seq: number; partition: number; offset: number; text: string }, [string]>(
          'SELECT seq, partition, offset, text FROM messages WHERE timestamp < ?').all(cutoff.toISOString());
        const remove = stmt<unknown, [number, string]>("INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', ?, ?)");
        const raise = stmt<unknown, [number, number]>('UPDATE partitions SET floor = MAX(floor, ?) WHERE partition = ?');
        for (const g of gone) {
          remove.run(g.seq, g.text);
          raise.run(g.offset + 1, g.partition);
        }
        stmt('DELETE FROM messages WHERE timestamp < ?').run(cutoff.toISOString());
        return gone.length;
      })();
    },
    close() {
      for (const s of statements.values()) s.finalize();
      statements.clear();
      db.close(true);
    },
  };
}
