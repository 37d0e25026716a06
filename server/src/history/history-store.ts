// Owns the read model's file: opens it for the log's topic and epoch once those are known, and
// keeps one process per file (an exclusive lock; a second instance pointed at the same file
// falls back to memory with a warning instead of corrupting the first one's positions).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log.ts';
import { openReadModel, type ReadModel } from './read-model.ts';

export interface HistoryStore {
  open(topic: string, epoch: string): ReadModel;
  current(): ReadModel | undefined;
  close(): void;
}

export function makeHistoryStore(path: string, log: Logger): HistoryStore {
  let model: ReadModel | undefined;
  return {
    open(topic, epoch) {
      model?.close();
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      try {
        model = openReadModel(path, { topic, epoch }, true);
      } catch (error) {
        log.warn('the history database is in use or unreadable; keeping history in memory (rebuilt at every start)', { path, error });
        model = openReadModel(':memory:', { topic, epoch });
      }
      return model;
    },
    current: () => model,
    close() {
      model?.close();
      model = undefined;
    },
  };
}
