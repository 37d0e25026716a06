// The outbox at work: messages go out at the pace the welcome allows, refusals that mean "later"
// put a message back in the queue (it fails only after a minute), a message sent without a
// confirmation for too long is marked failed, and after a disconnect whatever was unconfirmed
// is queued again (marked as a possible retry). The list itself is the pure functions of outbox.ts.
import type { ChatMessage, ErrorFrame, Limits, ReplyRef } from '@anime-universe/protocol';
import type { Connection } from './connection.ts';
import * as box from './outbox.ts';
import { makePacer } from './pacer.ts';

const GIVE_UP_MS = 60_000;
/**
 * A sent message shows "sending…" this long before it is marked failed: longer than the
 * server's send deadline (15 s, KAFKA_SEND_TIMEOUT_MS), which spans a Kafka leader election.
 */
export const CONFIRM_TIMEOUT_MS = 25_000;

export interface OutboxFlowDeps {
  conn: Pick<Connection, 'send' | 'state'>;
  /** The open room: only its messages go out. */
  room(): string;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(id: unknown): void;
  changed(): void;
  confirmTimeoutMs?: number;
}

export function makeOutboxFlow(d: OutboxFlowDeps) {
  let outbox: box.OutboxItem[] = [];
  let flushTimer: unknown;
  let expiryTimer: unknown;
  const pacer = makePacer(d.now);

  const flush = () => {
    if (flushTimer !== undefined) d.clearTimer(flushTimer);
    flushTimer = undefined;
    const room = d.room();
    for (const item of box.due(outbox, room, d.now())) {
      if (d.conn.state().status !== 'connected' || !pacer.take()) break;
      // An earlier attempt may have been stored: the server checks the log before storing it again.
      const retry = item.maybeStored ? { retry: true } : {};
      const reply = item.replyTo ? { replyTo: item.replyTo.offset } : {};
      if (!d.conn.send({ type: 'chat', text: item.text, clientId: item.clientId, ...retry, ...reply })) return;
      outbox = box.markSent(outbox, item.clientId, d.now());
    }
    if (d.conn.state().status !== 'connected' || !outbox.some((i) => i.room === room && i.state === 'queued')) return;
    const at = Math.max(pacer.nextAt(), box.nextDue(outbox, room) ?? 0);
    flushTimer = d.setTimer(() => {
      flushTimer = undefined;
      flush();
      d.changed();
    }, Math.max(10, Math.ceil(at - d.now())));
  };
  const checkExpiry = () => {
    expiryTimer = d.setTimer(checkExpiry, 2000);
    const next = box.expire(outbox, d.now(), d.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS);
    if (next.some((item, i) => item !== outbox[i])) {
      outbox = next;
      d.changed();
    }
  };

  return {
    start: checkExpiry,
    stop() {
      if (expiryTimer !== undefined) d.clearTimer(expiryTimer);
      if (flushTimer !== undefined) d.clearTimer(flushTimer);
    },
    /** A welcome: its pace, and the messages of mine it shows are confirmed. */
    welcomed(limits: Limits, mine: readonly ChatMessage[]) {
      pacer.reset(limits);
      for (const m of mine) outbox = box.confirm(outbox, m.clientId);
      flush();
    },
    confirm(clientId: string | undefined) {
      outbox = box.confirm(outbox, clientId);
    },
    /** A refusal of one of the outbox's messages; false when the clientId is not one of them. */
    refused(frame: Pick<ErrorFrame, 'clientId' | 'code' | 'message' | 'retryAfterMs'>): boolean {
      const item = outbox.find((i) => i.clientId === frame.clientId);
      if (!item) return false;
      const patient = d.now() - Date.parse(item.createdAt) < GIVE_UP_MS;
      if (!box.WAIT_CODES.has(frame.code) || !patient) {
        outbox = box.fail(outbox, frame);
        return true;
      }
      if (frame.code === 'rate_limited') pacer.drain();
      outbox = box.defer(outbox, item.clientId, d.now() + (frame.retryAfterMs ?? 1000), frame.code === 'outcome_unknown');
      flush();
      return true;
    },
    disconnected() {
      outbox = box.requeueUnconfirmed(outbox);
    },
    enqueue(room: string, text: string, clientId: string, replyTo?: ReplyRef) {
      outbox = box.enqueue(outbox, room, text, clientId, new Date(d.now()), replyTo);
      flush();
    },
    retry(clientId: string) {
      outbox = box.retry(outbox, clientId);
      flush();
    },
    discard(clientId: string) {
      outbox = box.discard(outbox, clientId);
    },
    /** The open room's messages on their way. */
    of: (room: string) => outbox.filter((i) => i.room === room),
  };
}
