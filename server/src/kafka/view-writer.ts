// Feeds the durable view (the read model) with consumed batches: every VIEW_FLUSH_MS in one
// transaction with their positions, or at once past a count or while catching up. The writes
// happen off the event loop (the view resolves when committed); when the view falls behind by
// more than VIEW_MAX_BEHIND messages, `backlog` gives the consumer a promise to wait for, so
// memory stays bounded during a rebuild. Once a write has failed the view is frozen (a later
// batch must not move its position past a hole) and the failure is reported until a restart.
import type { ChatMessage } from '@anime-universe/protocol';
import type { DurableView, LogEvent } from './message-log.ts';

const VIEW_FLUSH_MS = 100;
const VIEW_FLUSH_MESSAGES = 500;
const VIEW_MAX_BEHIND = 20_000;

export interface ViewWriter {
  /** `events`: the batch's removals and timeouts, stored with its messages. */
  add(partition: number, messages: ChatMessage[], through: number, catchingUp: boolean, events?: readonly LogEvent[]): void;
  /** A promise to wait for before reading more, when the view is too far behind; otherwise undefined. */
  backlog(): Promise<void> | undefined;
  /** Writes what waits now; resolves when everything handed over so far is committed (or failed). */
  flush(): Promise<void>;
  /** Everything handed over is committed. */
  idle(): boolean;
  /** Why the view stopped being written, if it did. */
  failure(): string | undefined;
}

export function makeViewWriter(view: DurableView | undefined, onFailure: (why: string, error: unknown) => void): ViewWriter {
  let pending: Array<{ partition: number; messages: ChatMessage[]; through: number; events?: readonly LogEvent[] }> = [];
  let count = 0; // messages waiting here
  let writing = 0; // messages handed to the view, not yet committed
  let last: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failed: string | undefined;

  const send = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batches = pending;
    const n = count;
    pending = [];
    count = 0;
    if (!view || failed || batches.length === 0) return;
    writing += n;
    last = view.apply(batches).then(
      () => {
        writing -= n;
      },
      (error: unknown) => {
        writing -= n;
        if (failed) return;
        failed = `the history database failed: ${(error as Error).message}`;
        onFailure(failed, error);
      },
    );
  };

  return {
    add(partition, messages, through, catchingUp, events) {
      if (!view || failed) return;
      pending.push(events && events.length > 0 ? { partition, messages, through, events } : { partition, messages, through });
      count += messages.length;
      if (count >= VIEW_FLUSH_MESSAGES || catchingUp) send(); // catching up: big batches, no wait
      else timer ??= setTimeout(send, VIEW_FLUSH_MS);
    },
    backlog: () => (writing + count > VIEW_MAX_BEHIND && !failed ? last : undefined),
    async flush() {
      send();
      await last;
    },
    idle: () => pending.length === 0 && writing === 0,
    failure: () => failed,
  };
}
