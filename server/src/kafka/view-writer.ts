// Feeds the durable view (the read model) with consumed batches: every VIEW_FLUSH_MS in one
// transaction with their positions, or at once past a count or while catching up. Once a write
// has failed the view is frozen (a later batch must not move its position past a hole) and the
// failure is reported until a restart.
import type { ChatMessage } from '@anime-universe/protocol';
import type { DurableView } from './message-log.ts';

const VIEW_FLUSH_MS = 100;
const VIEW_FLUSH_MESSAGES = 100;

export interface ViewWriter {
  add(partition: number, messages: ChatMessage[], through: number, catchingUp: boolean): void;
  /** Writes what waits now (before stopping). */
  flush(): void;
  /** Nothing is waiting to be written. */
  idle(): boolean;
  /** Why the view stopped being written, if it did. */
  failure(): string | undefined;
}

export function makeViewWriter(view: DurableView | undefined, onFailure: (why: string, error: unknown) => void): ViewWriter {
  let pending: Array<{ partition: number; messages: ChatMessage[]; through: number }> = [];
  let count = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failed: string | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batches = pending;
    pending = [];
    count = 0;
    if (!view || failed || batches.length === 0) return;
    try {
      view.apply(batches);
    } catch (error) {
      failed = `the history database failed: ${(error as Error).message}`;
      onFailure(failed, error);
    }
  };
  return {
    add(partition, messages, through, catchingUp) {
      if (!view || failed) return;
      pending.push({ partition, messages, through });
      count += messages.length;
      if (count >= VIEW_FLUSH_MESSAGES || catchingUp) flush(); // catching up: big batches, no wait
      else timer ??= setTimeout(flush, VIEW_FLUSH_MS);
    },
    flush,
    idle: () => pending.length === 0,
    failure: () => failed,
  };
}
