// What the read model answers: pages, resumes, search and room activity, over any connection to
// the database (the writer's own in tests, a separate reading connection in the server while a
// worker thread writes). Each answer reads one snapshot of the database.
import { Database, type SQLQueryBindings, type Statement } from 'bun:sqlite';
import { privateThread, type ChatMessage, type PrivateMessage, type Reactions, type ReplyRef } from '@anime-universe/protocol';

export interface Page {
  /** Oldest first. */
  messages: ChatMessage[];
  /** True when nothing older is retained: the page reaches the start of the room. */
  atStart: boolean;
}

export interface Since {
  /** Oldest first. */
  messages: ChatMessage[];
  /** True when these are all the room's messages after the offset up to `position`. */
  complete: boolean;
  /** The partition's stored position (next offset to read) in the same snapshot as the rows. */
  position: number;
}

export interface ReadQueries {
  /** Next offset to read per partition, as stored; empty for a new database. */
  positions(): Map<number, number>;
  /** Lowest offset per partition from which every message is held (where the view began). */
  floors(): Map<number, number>;
  since(room: string, partition: number, offset: number, limit: number): Since;
  /** The `limit` messages before `offset` (or the newest, without it), oldest first. */
  before(room: string, partition: number, offset: number | undefined, limit: number): Page;
  search(room: string, query: string, limit: number): ChatMessage[];
  /** Rooms with messages since `since`, busiest first, with their newest offset. */
  activeRooms(since: Date, limit: number): Array<{ room: string; latestOffset: number; recent: number }>;
  /** The newest offset of a room, or -1. */
  latestOffset(room: string): number;
  /** The room's message at `offset`, if held. */
  messageAt(room: string, offset: number): ChatMessage | undefined;
  /** The private threads of `name`: the other name, the newest offset and time, newest first. */
  privateThreads(name: string, limit: number): Array<{ peer: string; latestOffset: number; at: string }>;
  /** Messages of the thread of `a` and `b` before `offset` (or the newest), oldest first. */
  privateBefore(a: string, b: string, offset: number | undefined, limit: number): { messages: PrivateMessage[]; atStart: boolean };
  /** Messages from `from` to `to` after `offset`, counted up to `max`. */
  countPrivateAfter(from: string, to: string, offset: number, max: number): number;
  /** Whether a name has any private messages (such a name is never given to someone else). */
  hasPrivate(name: string): boolean;
  /** Rooms that need a passcode, with the hash of it (the first record of each room). */
  roomPasscodes(): Array<{ room: string; hash: string }>;
  /** Every room's settings, as stored from the log. */
  roomSettings(): Array<{ room: string; slowModeSeconds: number }>;
  /** Timeouts that last beyond `now` (ms), as stored from the log. */
  activeTimeouts(now: number): Array<{ kind: 'name' | 'source'; key: string; until: number }>;
  /** Messages at or before `offset` that changed after it (removed, reactions), oldest first, at most `max`. */
  changedSince(room: string, offset: number, max: number): ChatMessage[];
  /** Messages of the room after `offset` that mention `name` (any case), counted up to `max`. */
  countMentions(room: string, name: string, offset: number, max: number): number;
  /** Messages of the room after `offset`, counted up to `max`. */
  countAfter(room: string, offset: number, max: number): number;
}

interface Row {
  offset: number;
  id: string;
  room: string;
  username: string;
  text: string;
  timestamp: string;
  client_id: string | null;
  redacted: number;
  reactions: string | null;
  reply: string | null;
}

const toMessage = (r: Row): ChatMessage => ({
  id: r.id, room: r.room, username: r.username, text: r.text, timestamp: r.timestamp, offset: r.offset,
  ...(r.client_id ? { clientId: r.client_id } : {}), ...(r.redacted ? { redacted: true as const } : {}),
  ...(r.reply ? { replyTo: JSON.parse(r.reply) as ReplyRef } : {}),
  ...(r.reactions ? { reactions: JSON.parse(r.reactions) as Reactions } : {}),
});

/** Words of a user's query as an FTS5 expression that cannot be a syntax error: each word quoted, all required. */
export function ftsQuery(query: string): string | undefined {
  const words = query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return undefined;
  return words.slice(0, 16).map((w) => `"${w}"*`).join(' ');
}

export type StatementCache = <R = unknown, P extends SQLQueryBindings[] = SQLQueryBindings[]>(sql: string) => Statement<R, P>;

/** Prepares each statement once; `finalize` before closing (an unfinalized statement keeps the connection and its locks alive). */
export function statementCache(db: Database): { stmt: StatementCache; finalize(): void } {
  const statements = new Map<string, Statement>();
  const stmt: StatementCache = <R, P extends SQLQueryBindings[]>(sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s as unknown as Statement<R, P>;
  };
  return {
    stmt,
    finalize() {
      for (const s of statements.values()) s.finalize();
      statements.clear();
    },
  };
}

export function makeReadQueries(db: Database, stmt: StatementCache): ReadQueries {
  const columns = 'offset, id, room, username, text, timestamp, client_id, redacted, reactions, reply';
  const partitionsMap = (column: 'position' | 'floor') =>
    new Map(stmt<{ partition: number; v: number }, []>(`SELECT partition, ${column} AS v FROM partitions`).all().map((r) => [r.partition, r.v]));
  const partitionRow = (partition: number) =>
    stmt<{ position: number; floor: number }, [number]>('SELECT position, floor FROM partitions WHERE partition = ?').get(partition);
  // A read transaction: the rows and the partition's position come from one snapshot even while
  // another connection commits.
  const sinceTx = db.transaction((room: string, partition: number, offset: number, limit: number): Since => {
    const rows = stmt<Row, [string, number, number]>(`SELECT ${columns} FROM messages WHERE room = ? AND offset > ? ORDER BY offset LIMIT ?`)
      .all(room, offset, limit + 1);
    const p = partitionRow(partition);
    const complete = p != null && offset + 1 >= p.floor && rows.length <= limit;
    return { messages: rows.slice(0, limit).map(toMessage), complete, position: p?.position ?? 0 };
  });

  return {
    positions: () => partitionsMap('position'),
    floors: () => partitionsMap('floor'),
    since: (room, partition, offset, limit) => sinceTx(room, partition, offset, limit),
    before(room, _partition, offset, limit) {
      const rows = stmt<Row, [string, number, number]>(`SELECT ${columns} FROM messages WHERE room = ? AND offset < ? ORDER BY offset DESC LIMIT ?`)
        .all(room, offset ?? Number.MAX_SAFE_INTEGER, limit + 1);
      // The view begins at the earliest offset the log retained, so when nothing older is here,
      // nothing older exists.
      return { messages: rows.slice(0, limit).reverse().map(toMessage), atStart: rows.length <= limit };
    },
    search(room, query, limit) {
      const match = ftsQuery(query);
      if (!match) return [];
      return stmt<Row, [string, string, number]>(
        `SELECT m.offset, m.id, m.room, m.username, m.text, m.timestamp, m.client_id, m.redacted, m.reactions, m.reply FROM messages_fts f JOIN messages m ON m.seq = f.rowid
         WHERE messages_fts MATCH ? AND m.room = ? ORDER BY f.rank LIMIT ?`).all(match, room, limit).map(toMessage);
    },
    activeRooms(since, limit) {
      return stmt<{ room: string; latestOffset: number; recent: number }, [string, number]>(
        'SELECT room, MAX(offset) AS latestOffset, COUNT(*) AS recent FROM messages WHERE timestamp >= ? GROUP BY room ORDER BY recent DESC, room LIMIT ?',
      ).all(since.toISOString(), limit);
    },
    privateThreads(name, limit) {
      return stmt<{ peer: string; latestOffset: number; at: string }, [string, string, number]>(
        `SELECT CASE WHEN sender = ?1 THEN recipient ELSE sender END AS peer, MAX(offset) AS latestOffset, MAX(timestamp) AS at
         FROM private_messages WHERE sender = ?1 OR recipient = ?2 GROUP BY thread ORDER BY at DESC LIMIT ?3`).all(name, name, limit);
    },
    privateBefore(a, b, offset, limit) {
      const rows = stmt<{ offset: number; id: string; sender: string; recipient: string; text: string; timestamp: string; client_id: string | null }, [string, number, number]>(
        'SELECT offset, id, sender, recipient, text, timestamp, client_id FROM private_messages WHERE thread = ? AND offset < ? ORDER BY offset DESC LIMIT ?',
      ).all(privateThread(a, b), offset ?? Number.MAX_SAFE_INTEGER, limit + 1);
      const messages = rows.slice(0, limit).reverse().map((r): PrivateMessage => ({
        id: r.id, from: r.sender, to: r.recipient, text: r.text, timestamp: r.timestamp, offset: r.offset, ...(r.client_id ? { clientId: r.client_id } : {}),
      }));
      return { messages, atStart: rows.length <= limit };
    },
    countPrivateAfter(from, to, offset, max) {
      return stmt<{ n: number }, [string, string, string, number, number]>(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM private_messages WHERE thread = ? AND sender = ? AND recipient = ? AND offset > ? LIMIT ?)',
      ).get(privateThread(from, to), from, to, offset, max)?.n ?? 0;
    },
    hasPrivate(name) {
      return stmt<{ one: number }, [string, string]>('SELECT 1 AS one FROM private_messages WHERE sender = ? OR recipient = ? LIMIT 1').get(name, name) !== null;
    },
    roomPasscodes() {
      return stmt<{ room: string; hash: string }, []>('SELECT room, hash FROM room_passcodes').all();
    },
    roomSettings() {
      return stmt<{ room: string; slowModeSeconds: number }, []>('SELECT room, slow_mode AS slowModeSeconds FROM room_settings').all();
    },
    activeTimeouts(now) {
      return stmt<{ kind: 'name' | 'source'; key: string; until: number }, [number]>('SELECT kind, key, until FROM timeouts WHERE until > ?').all(now);
    },
    messageAt(room, offset) {
      const row = stmt<Row, [string, number]>(`SELECT ${columns} FROM messages WHERE room = ? AND offset = ?`).get(room, offset);
      return row ? toMessage(row) : undefined;
    },
    latestOffset(room) {
      return stmt<{ latest: number | null }, [string]>('SELECT MAX(offset) AS latest FROM messages WHERE room = ?').get(room)?.latest ?? -1;
    },
    changedSince(room, offset, max) {
      return stmt<Row, [string, string, number, number, number]>(
        `SELECT ${columns} FROM messages WHERE room = ? AND offset IN (SELECT target FROM changes WHERE room = ? AND at > ? AND target <= ?)
         ORDER BY offset DESC LIMIT ?`).all(room, room, offset, offset, max).reverse().map(toMessage);
    },
    countMentions(room, name, offset, max) {
      return stmt<{ n: number }, [string, string, number, number]>(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM mentions WHERE name = ? AND room = ? AND offset > ? LIMIT ?)').get(name.toLowerCase(), room, offset, max)?.n ?? 0;
    },
    countAfter(room, offset, max) {
      return stmt<{ n: number }, [string, number, number]>('SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages WHERE room = ? AND offset > ? LIMIT ?)')
        .get(room, offset, max)?.n ?? 0;
    },
  };
}

/** A reading connection to a read model another connection (the writer thread) keeps. */
export function openReadQueries(path: string): ReadQueries & { close(): void } {
  const db = new Database(path, { readonly: true, strict: true });
  db.run('PRAGMA busy_timeout = 250');
  const cache = statementCache(db);
  return {
    ...makeReadQueries(db, cache.stmt),
    close() {
      cache.finalize();
      db.close(true);
    },
  };
}
