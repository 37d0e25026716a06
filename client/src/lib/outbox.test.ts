import { describe, expect, it } from 'bun:test';
import * as box from './outbox.ts';

const now = new Date(0);

describe('outbox', () => {
  it('moves a message from queued to sent to delivered', () => {
    let b = box.enqueue([], 'lobby', 'hi', 'c1', now);
    expect(box.due(b, 'lobby', 0).map((i) => i.clientId)).toEqual(['c1']);
    b = box.markSent(b, 'c1', 10);
    expect(box.due(b, 'lobby', 0)).toEqual([]);
    b = box.confirm(b, 'c1');
    expect(b).toEqual([]);
  });
  it('requeues sent but unconfirmed messages after a disconnect, keeping their clientId', () => {
    let b = box.markSent(box.enqueue([], 'lobby', 'hi', 'c1', now), 'c1', 10);
    b = box.requeueUnconfirmed(b);
    expect(box.due(b, 'lobby', 0).map((i) => i.clientId)).toEqual(['c1']);
  });
  it('fails with the server reason, and retry queues it again', () => {
    let b = box.markSent(box.enqueue([], 'lobby', 'hi', 'c1', now), 'c1', 10);
    b = box.fail(b, { clientId: 'c1', code: 'rate_limited', message: 'Slow down', retryAfterMs: 900 });
    expect(b[0]?.state).toBe('failed');
    expect(b[0]?.error?.retryAfterMs).toBe(900);
    b = box.retry(b, 'c1');
    expect(b[0]?.state).toBe('queued');
  });
  it('fails a message the server never confirmed', () => {
    const b = box.expire(box.markSent(box.enqueue([], 'lobby', 'hi', 'c1', now), 'c1', 0), 20_000, 15_000);
    expect(b[0]?.error?.code).toBe('timeout');
  });
  it('remembers that an earlier attempt may be stored: after a disconnect, "outcome unknown" or no confirmation, not after "rate limited"', () => {
    const sent = box.markSent(box.enqueue([], 'lobby', 'hi', 'c1', now), 'c1', 0);
    expect(sent[0]?.maybeStored).toBeUndefined();
    expect(box.requeueUnconfirmed(sent)[0]?.maybeStored).toBe(true);
    expect(box.defer(sent, 'c1', 1000, true)[0]?.maybeStored).toBe(true);
    expect(box.expire(sent, 20_000, 15_000)[0]?.maybeStored).toBe(true);
    expect(box.defer(sent, 'c1', 1000)[0]?.maybeStored).toBeUndefined(); // refused before storing
    // Once possibly stored, it stays so through later refusals and a manual retry.
    const later = box.retry(box.defer(box.requeueUnconfirmed(sent), 'c1', 1000), 'c1');
    expect(later[0]?.maybeStored).toBe(true);
  });
  it('keeps each room to its own messages', () => {
    const b = box.enqueue(box.enqueue([], 'lobby', 'a', 'c1', now), 'isekai-tavern', 'b', 'c2', now);
    expect(box.due(b, 'isekai-tavern', 0).map((i) => i.text)).toEqual(['b']);
  });
  it('holds a deferred item and everything written after it until its time', () => {
    let b = box.enqueue([], 'lobby', 'one', 'c1', new Date(0));
    b = box.enqueue(b, 'lobby', 'two', 'c2', new Date(0));
    b = box.markSent(b, 'c1', 0);
    b = box.defer(b, 'c1', 5000);
    expect(box.due(b, 'lobby', 4999)).toEqual([]);
    expect(box.nextDue(b, 'lobby')).toBe(5000);
    expect(box.due(b, 'lobby', 5000).map((i) => i.clientId)).toEqual(['c1', 'c2']);
    expect(b[0]?.state).toBe('queued');
  });
});
