// The idempotency rules of private messages, over a scripted message log: a retried clientId is
// stored at most once, whether the first attempt is in flight, ended without an answer, or went
// to another instance. private.test.ts proves delivery and storage on the real broker.
import { describe, expect, it } from 'bun:test';
import type { PrivateRecord } from '@anime-universe/protocol';
import { PublishError, type MessageLog, type Publication, type Stored } from '../kafka/message-log.ts';
import { silentLogger } from '../log.ts';
import { makePrivateMessages } from './private-messages.ts';

/** A log whose publishes and barriers the test settles by hand. */
function setup() {
  const published: Array<Omit<PrivateRecord, 'type'>> = [];
  const outcomes: Array<{ resolve(s: Stored): void; reject(e: PublishError): void }> = [];
  const barriers: Array<{ key: string; resolve(): void; reject(e: Error): void }> = [];
  const log = {
    sendPrivate(record: Omit<PrivateRecord, 'type'>): Publication {
      published.push(record);
      let hooks!: (typeof outcomes)[number];
      const outcome = new Promise<Stored>((resolve, reject) => (hooks = { resolve, reject }));
      outcome.catch(() => {});
      outcomes.push(hooks);
      return { answer: outcome, outcome };
    },
    barrier: (key: string) => new Promise<void>((resolve, reject) => barriers.push({ key, resolve, reject })),
  } as unknown as Pick<MessageLog, 'sendPrivate' | 'barrier'>;
  const dms = makePrivateMessages(log, { isOnline: () => true, accepts: () => true, hasThread: () => false, sendTimeoutMs: 2000 }, silentLogger);
  return { dms, published, outcomes, barriers };
}

const req = { from: 'QuietFox', to: 'BraveOwl', text: 'psst', clientId: 'd-1' };
const tick = () => Bun.sleep(0);
const storedAs = (offset: number) => ({ id: 'first', from: 'QuietFox', to: 'BraveOwl', text: 'psst', timestamp: new Date().toISOString(), clientId: 'd-1', offset });

describe('private messages with a clientId', () => {
  it('publishes a first attempt at once, and answers a repeat with the stored offset without a second record', async () => {
    const { dms, published, outcomes, barriers } = setup();
    const first = dms.send(req);
    await tick();
    expect(published).toHaveLength(1);
    expect(barriers).toHaveLength(0);
    outcomes[0]?.resolve({ partition: 1, offset: 9 });
    expect(await first).toEqual({ ok: true, value: { offset: 9 } });
    expect(await dms.send(req)).toEqual({ ok: true, value: { offset: 9 } });
    expect(published).toHaveLength(1);
  });

  it('lets a retry wait for the attempt in flight instead of storing a copy', async () => {
    const { dms, published, outcomes } = setup();
    const first = dms.send(req);
    const retry = dms.send({ ...req, retry: false });
    await tick();
    expect(published).toHaveLength(1);
    outcomes[0]?.resolve({ partition: 0, offset: 4 });
    expect(await first).toEqual({ ok: true, value: { offset: 4 } });
    expect(await retry).toEqual({ ok: true, value: { offset: 4 } });
  });

  it('after an unknown outcome, reads the thread up to now first: answers what the log holds, stores nothing new', async () => {
    const { dms, published, outcomes, barriers } = setup();
    const first = dms.send(req);
    await tick();
    outcomes[0]?.reject(new PublishError('unknown', 'no answer'));
    expect(await first).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    const retry = dms.send(req);
    await tick();
    expect(barriers.map((b) => b.key)).toEqual(['~dm:BraveOwl:QuietFox']);
    dms.remember(storedAs(11)); // the lost attempt was stored after all; the consumer reads it
    barriers[0]?.resolve();
    expect(await retry).toEqual({ ok: true, value: { offset: 11 } });
    expect(published).toHaveLength(1);
  });

  it('after an unknown outcome the log does not hold, publishes once, even for retries that arrive together', async () => {
    const { dms, published, outcomes, barriers } = setup();
    const first = dms.send(req);
    await tick();
    outcomes[0]?.reject(new PublishError('unknown', 'no answer'));
    await first;
    const [r1, r2] = [dms.send(req), dms.send(req)];
    await tick();
    for (const b of barriers) b.resolve();
    await tick();
    await tick();
    expect(published).toHaveLength(2); // the first attempt and exactly one more
    outcomes[1]?.resolve({ partition: 0, offset: 12 });
    expect(await r1).toEqual({ ok: true, value: { offset: 12 } });
    expect(await r2).toEqual({ ok: true, value: { offset: 12 } });
  });

  it('treats a client\'s retry flag as "the first attempt may be on another instance": barrier first, then the answer', async () => {
    const { dms, published, barriers } = setup();
    const retry = dms.send({ ...req, retry: true });
    await tick();
    expect(published).toHaveLength(0);
    expect(barriers).toHaveLength(1);
    dms.remember(storedAs(3)); // stored through another instance
    barriers[0]?.resolve();
    expect(await retry).toEqual({ ok: true, value: { offset: 3 } });
    expect(published).toHaveLength(0);
  });

  it('answers "outcome unknown" and stores nothing when the barrier cannot be written', async () => {
    const { dms, published, barriers } = setup();
    const retry = dms.send({ ...req, retry: true });
    await tick();
    barriers[0]?.reject(new Error('broker down'));
    expect(await retry).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(published).toHaveLength(0);
  });

  it('publishes again after a refusal that stored nothing (Kafka unavailable)', async () => {
    const { dms, published, outcomes } = setup();
    const first = dms.send(req);
    await tick();
    outcomes[0]?.reject(new PublishError('unavailable', 'down'));
    expect(await first).toMatchObject({ ok: false, error: { code: 'kafka_unavailable' } });
    const again = dms.send(req);
    await tick();
    expect(published).toHaveLength(2);
    outcomes[1]?.resolve({ partition: 0, offset: 5 });
    expect(await again).toEqual({ ok: true, value: { offset: 5 } });
  });
});
