// Owns the read model's file. A worker thread writes it (view-worker.ts); this thread reads it
// through its own connection. One process per file: a lock file held for the process's life
// makes a second instance pointed at the same file fall back to a private temporary file (with
// a warning) instead of corrupting the first one's positions. ":memory:" also means a private
// temporary file, removed at close: the history is rebuilt at every start.
import { Database } from 'bun:sqlite';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from '../log.ts';
import type { ViewBatch } from './read-model.ts';
import { openReadQueries, type ReadQueries } from './read-queries.ts';
import type { ViewReply, ViewRequest } from './view-worker.ts';

export interface HistoryStore {
  /** Opens the view of this topic and epoch; resolves to its stored positions (empty: a new view). */
  open(topic: string, epoch: string): Promise<ReadonlyMap<number, number>>;
  begin(starts: ReadonlyMap<number, number>): Promise<void>;
  /** Resolves once the batches and their positions are committed. */
  apply(batches: ViewBatch[]): Promise<void>;
  /** Drops messages older than the cutoff; resolves to how many. */
  prune(cutoff: Date): Promise<number>;
  /** The reading side, once open. */
  reader(): ReadQueries | undefined;
  close(): Promise<void>;
}

type Request = ViewRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** An exclusive lock on `<path>.lock` while the returned connection is open, or undefined when another holds it. */
function lockFile(path: string): Database | undefined {
  const lock = new Database(`${path}.lock`, { create: true });
  try {
    lock.run('BEGIN EXCLUSIVE'); // held, never committed, until close (or the process's end)
    return lock;
  } catch {
    lock.close(true);
    return undefined;
  }
}

const temporaryPath = () => `${tmpdir()}/anime-history-${crypto.randomUUID()}.sqlite`;

export function makeHistoryStore(configured: string, log: Logger): HistoryStore {
  let path = configured;
  let temporary = configured === ':memory:';
  let lock: Database | undefined;
  let reader: (ReadQueries & { close(): void }) | undefined;
  let worker: Worker | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  const failAll = (why: string) => {
    for (const w of waiting.values()) w.reject(new Error(why));
    waiting.clear();
  };
  const ask = (request: Request): Promise<unknown> => {
    if (!worker) {
      worker = new Worker(new URL('./view-worker.ts', import.meta.url).href);
      worker.onmessage = (event: MessageEvent<ViewReply>) => {
        const reply = event.data;
        const w = waiting.get(reply.id);
        waiting.delete(reply.id);
        if (reply.ok) w?.resolve(reply.result);
        else w?.reject(new Error(reply.error));
      };
      worker.onerror = (event) => {
        log.error('the history writer thread failed', { error: event.message });
        failAll(`the history writer thread failed: ${event.message}`);
      };
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker?.postMessage({ ...request, id });
    });
  };

  const removeTemporary = () => {
    if (temporary) for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(`${path}${suffix}`, { force: true });
  };

  return {
    async open(topic, epoch) {
      reader?.close();
      reader = undefined;
      if (!lock) {
        if (temporary) path = temporaryPath();
        else mkdirSync(dirname(path), { recursive: true });
        lock = lockFile(path);
        if (!lock) {
          log.warn('the history database is in use by another process; keeping history in a temporary file (rebuilt at every start)', { path });
          path = temporaryPath();
          temporary = true;
          lock = lockFile(path);
        }
      }
      const positions = (await ask({ op: 'open', path, topic, epoch })) as Map<number, number>;
      reader = openReadQueries(path);
      return positions;
    },
    begin: async (starts) => void (await ask({ op: 'begin', starts: new Map(starts) })),
    apply: async (batches) => void (await ask({ op: 'apply', batches })),
    prune: async (cutoff) => (await ask({ op: 'prune', cutoff: cutoff.getTime() })) as number,
    reader: () => reader,
    async close() {
      reader?.close();
      reader = undefined;
      if (worker) {
        await ask({ op: 'close' }).catch(() => {});
        worker.terminate();
        worker = undefined;
      }
      failAll('the history store is closed');
      lock?.close(true);
      lock = undefined;
      removeTemporary();
    },
  };
}
