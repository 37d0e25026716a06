import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { RunningServer } from '../server.ts';
import { postChat } from '../test-support/post-chat.ts';
import { openClient } from '../test-support/ws-client.ts';
import { startTestServer, uniqueTopic } from '../test-support/test-server.ts';
import { waitFor } from '../test-support/wait-for.ts';

let server: RunningServer;
let guarded: RunningServer;
const instance = `mon${crypto.randomUUID().slice(0, 6)}`;
beforeAll(async () => {
  [server, guarded] = await Promise.all([
    startTestServer({ KAFKA_TOPIC: uniqueTopic('monitor'), INSTANCE_ID: instance }),
    startTestServer({ KAFKA_TOPIC: uniqueTopic('monitor-guarded'), MONITOR_TOKEN: 'monitor-secret-123' }),
  ]);
  for (const text of ['one', 'two', 'three']) {
    await postChat(server.url, { text, room: 'mon-room' });
  }
  const ws = await openClient(server.url, { room: 'mon-room' });
  await ws.next('welcome');
  ws.sendRaw('not json');
  await ws.next('error');
  ws.close();
});
afterAll(async () => {
  await Promise.all([server.stop(), guarded.stop()]);
});

const metric = (text: string, line: string) => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe('GET /metrics', () => {
  it('exposes produced, consumed, latency histogram, lag, errors and rate limits in Prometheus format', async () => {
    const text = await waitFor(async () => {
      const t = await (await fetch(`${server.url}/metrics`)).text();
      return metric(t, 'chat_messages_consumed_total') === 3 ? t : undefined;
    }, 'three consumed messages in /metrics');
    expect(metric(text, 'chat_messages_produced_total')).toBe(3);
    expect(metric(text, 'chat_produce_latency_seconds_count')).toBe(3);
    expect(metric(text, 'chat_produce_latency_seconds_bucket{le="+Inf"}')).toBe(3);
    const buckets = text.split('\n').filter((l) => l.startsWith('chat_produce_latency_seconds_bucket')).map((l) => Number(l.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b)); // cumulative
    expect(metric(text, 'chat_ws_errors_total{code="invalid_json"}')).toBe(1);
    expect(metric(text, 'chat_rate_limited_total{transport="http"}')).toBe(0);
    expect(metric(text, 'chat_kafka_up')).toBe(1);
    expect(text).toContain('# TYPE chat_produce_latency_seconds histogram');
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+]+)$/);
  });
});

describe('GET /monitor.json', () => {
  it('reports partitions with offsets, consumer groups with lag, throughput and this instance', async () => {
    const data = await waitFor(async () => {
      const d = (await (await fetch(`${server.url}/monitor.json`)).json()) as {
        kafka: { ok: boolean; partitions: Array<{ low: number; high: number }>; groups: Array<{ groupId: string; lag: number }> };
        instance: { id: string; connections: number };
        metrics: { perSecond: number[]; latency: { p50: number } };
      };
      const mine = d.kafka.groups?.find((g) => g.groupId === `anime-universe-${instance}`);
      return mine && mine.lag === 0 ? d : undefined;
    }, 'this instance\'s group at lag 0');
    expect(data.kafka.ok).toBe(true);
    expect(data.kafka.partitions).toHaveLength(3);
    expect(data.kafka.partitions.reduce((n, p) => n + p.high - p.low, 0)).toBe(3);
    expect(data.instance.id).toBe(instance);
    expect(data.metrics.perSecond.reduce((a, b) => a + b, 0)).toBe(3);
    expect(data.metrics.latency.p50).toBeGreaterThan(0);
  });

  it('with MONITOR_TOKEN set, answers 403 without the token and 200 with it', async () => {
    const denied = await fetch(`${guarded.url}/monitor.json`);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('monitor_forbidden');
    const allowed = await fetch(`${guarded.url}/monitor.json`, { headers: { authorization: 'Bearer monitor-secret-123' } });
    expect(allowed.status).toBe(200);
  });
});
