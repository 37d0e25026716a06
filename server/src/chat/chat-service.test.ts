// The idempotency rules of sending, over a scripted message log: what a retry does when the
// first attempt's outcome is unknown or went to another instance. The real-broker drills
// (failover.test.ts, the fault drill) prove the same end to end.
import { describe, expect, it } from 'bun:test';
import type { ChatMessage, ChatRecord } from '@anime-universe/protocol';
import { PublishError, type MessageLog, type Publication, type Stored } from '../kafka/message-log.ts';
import { silentLogger } from '../log.ts';
import { makeChatService, type ChatService } from './chat-service.ts';
import { makeMetrics } from './metrics.ts';
import { makeRecentSends } from './recent-sends.ts';

/** A log whose publishes and barriers the test settles by hand. */
function scriptedLog() {
  const published: ChatRecord[] = [];
  const outcomes: Array<{ resolve(s: Stored): void; reject(e: PublishError): void }> = [];
  const barriers: Array<{ resolve(): void; reject(e: Error): void }> = [];
  const log = {
    publish(record: ChatRecord): Publication {
      published.push(record);
      let hooks!: (typeof outcomes)[number];
      const outcome = new Promise<Stored>((resolve, reject) => (hooks = { resolve, reject }));
      outcome.catch(() => {});
      outcomes.push(hooks);
      return { answer: outcome, outcome };
    },
    barrier: () => new Promise<void>((resolve, reject) => barriers.push({ resolve, reject })),
  } as unknown as MessageLog;
  return { log, published, outcomes, barriers };
}

function setup() {
  const s = scriptedLog();
  const chat: ChatService = makeChatService(s.log, makeRecentSends(), { sendTimeoutMs: 2000 }, makeMetrics(), silentLogger);
  return { ...s, chat };
}

const req = { room: 'lobby', username: 'QuietFox', text: 'hello', clientId: 'c-1' };
const storedAs = (record: ChatRecord, offset: number): ChatMessage => ({ ...record, offset });
const tick = () => Bun.sleep(0);

describe('sending with a clientId', () => {
  it('publishes a first attempt at once, without a barrier', async () => {
    const { chat, published, outcomes, barriers } = setup();
    const sent = chat.send(req);
    await tick();
    expect(published).toHaveLength(1);
    expect(barriers).toHaveLength(0);
    outcomes[0]?.resolve({ partition: 0, offset: 7 });
    expect(await sent).toMatchObject({ ok: true, value: { duplicate: false, message: { offset: 7 } } });
  });

  it('answers a retry whose first attempt another instance stored with that message, once the barrier has read it', async () => {
    const { chat, published, barriers } = setup();
    const retry = chat.send({ ...req, retry: true });
    await tick();
    expect(barriers).toHaveLength(1);
    // The log up to the marker holds the first attempt (stored through another instance).
    const original = storedAs({ id: 'first', room: 'lobby', username: 'QuietFox', text: 'hello', timestamp: new Date().toISOString(), clientId: 'c-1' }, 3);
    chat.remember([original]);
    barriers[0]?.resolve();
    expect(await retry).toMatchObject({ ok: true, value: { duplicate: true, message: { id: 'first', offset: 3 } } });
    expect(published).toHaveLength(0);
  });

  it('publishes a retry the log does not hold once the barrier has passed', async () => {
    const { chat, published, barriers, outcomes } = setup();
    const retry = chat.send({ ...req, retry: true });
    await tick();
    expect(published).toHaveLength(0);
    barriers[0]?.resolve();
    await tick();
    expect(published).toHaveLength(1);
    outcomes[0]?.resolve({ partition: 0, offset: 9 });
    expect(await retry).toMatchObject({ ok: true, value: { duplicate: false } });
  });

  it('after an unknown outcome, stores concurrent retries once: the first publishes, the others wait for it', async () => {
    const { chat, published, barriers, outcomes } = setup();
    const first = chat.send(req);
    await tick();
    outcomes[0]?.reject(new PublishError('unknown', 'no answer'));
    expect(await first).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    await tick();
    const retries = [chat.send(req), chat.send({ ...req, retry: true })];
    await tick();
    expect(barriers.length).toBeGreaterThanOrEqual(1);
    for (const b of barriers) b.resolve();
    await tick();
    expect(published).toHaveLength(2); // the first attempt and one retry
    outcomes[1]?.resolve({ partition: 0, offset: 12 });
    const answers = await Promise.all(retries);
    expect(answers.map((a) => a.ok)).toEqual([true, true]);
    expect(answers.map((a) => a.ok && a.value.message.offset)).toEqual([12, 12]);
  });

  it('answers "outcome unknown" and stores nothing when the barrier cannot be written', async () => {
    const { chat, published, barriers } = setup();
    const retry = chat.send({ ...req, retry: true });
    await tick();
    barriers[0]?.reject(new PublishError('unavailable', 'Kafka is not connected.'));
    expect(await retry).toMatchObject({ ok: false, error: { code: 'outcome_unknown' } });
    expect(published).toHaveLength(0);
  });
});
