// Messages the user wrote that the server has not confirmed yet. Each has a clientId; it is
// queued while offline, sent when connected, delivered when the server's chat frame with that
// clientId arrives, or failed with a reason and a retry. Resending the same clientId is safe:
// the server stores it at most once. Pure functions over an array.
import type { ErrorFrame, ReplyRef } from '@anime-universe/protocol';

export interface OutboxItem {
  clientId: string;
  room: string;
  text: string;
  createdAt: string;
  /** The message this one replies to (its offset goes to the server; the quote is for showing). */
  replyTo?: ReplyRef;
  state: 'queued' | 'sent' | 'failed';
  sentAt?: number;
  /** Queued again after the server asked to wait: not sent before this time. */
  notBefore?: number;
  /** An earlier attempt may have been stored (sent without an answer, or "outcome unknown"): resends say `retry`. */
  maybeStored?: boolean;
  error?: { code: string; message: string; retryAfterMs?: number };
}

/** Refusals that mean "later, with the same clientId": the item goes back to the queue by itself. */
export const WAIT_CODES: ReadonlySet<string> = new Set(['rate_limited', 'outcome_unknown', 'server_busy', 'new_arrival', 'slow_mode']);

export function enqueue(box: OutboxItem[], room: string, text: string, clientId: string, now: Date, replyTo?: ReplyRef): OutboxItem[] {
  return [...box, { clientId, room, text, createdAt: now.toISOString(), state: 'queued', ...(replyTo ? { replyTo } : {}) }];
}

/** The items to send now for `room`, in the order they were written (none past one that must wait). */
export function due(box: OutboxItem[], room: string, now: number): OutboxItem[] {
  const queued = box.filter((i) => i.room === room && i.state === 'queued');
  const blocked = queued.findIndex((i) => (i.notBefore ?? 0) > now);
  return blocked < 0 ? queued : queued.slice(0, blocked);
}

/** The earliest time a waiting item of `room` may go, if any waits. */
export function nextDue(box: OutboxItem[], room: string): number | undefined {
  const times = box.filter((i) => i.room === room && i.state === 'queued' && i.notBefore !== undefined).map((i) => i.notBefore as number);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The server asked this item to wait: queue it again, to go after `until`, keeping its clientId. */
export function defer(box: OutboxItem[], clientId: string, until: number, maybeStored = false): OutboxItem[] {
  return box.map((i) => (i.clientId === clientId
    ? { ...i, state: 'queued', notBefore: until, error: undefined, ...(maybeStored ? { maybeStored } : {}) }
    : i));
}

export function markSent(box: OutboxItem[], clientId: string, now: number): OutboxItem[] {
  return box.map((i) => (i.clientId === clientId ? { ...i, state: 'sent', sentAt: now, notBefore: undefined, error: undefined } : i));
}

/** The server stored it: it leaves the outbox (the timeline now shows the stored message). */
export function confirm(box: OutboxItem[], clientId: string | undefined): OutboxItem[] {
  return clientId && box.some((i) => i.clientId === clientId) ? box.filter((i) => i.clientId !== clientId) : box;
}

export function fail(box: OutboxItem[], e: Pick<ErrorFrame, 'clientId' | 'code' | 'message' | 'retryAfterMs'>): OutboxItem[] {
  return box.map((i) =>
    i.clientId === e.clientId ? { ...i, state: 'failed', error: { code: e.code, message: e.message, retryAfterMs: e.retryAfterMs } } : i,
  );
}

export function retry(box: OutboxItem[], clientId: string): OutboxItem[] {
  return box.map((i) => (i.clientId === clientId ? { ...i, state: 'queued', error: undefined } : i));
}

export function discard(box: OutboxItem[], clientId: string): OutboxItem[] {
  return box.filter((i) => i.clientId !== clientId);
}

/** After a disconnect, whatever was sent but not confirmed goes again (same clientId). */
export function requeueUnconfirmed(box: OutboxItem[]): OutboxItem[] {
  return box.map((i) => (i.state === 'sent' ? { ...i, state: 'queued', maybeStored: true } : i));
}

/** Sent while connected but never confirmed within `timeoutMs`: show it as failed. */
export function expire(box: OutboxItem[], now: number, timeoutMs: number): OutboxItem[] {
  return box.map((i) =>
    i.state === 'sent' && i.sentAt !== undefined && now - i.sentAt > timeoutMs
      ? { ...i, state: 'failed', maybeStored: true, error: { code: 'timeout', message: 'No confirmation from the server.' } }
      : i,
  );
}
