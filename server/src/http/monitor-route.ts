// GET /monitor.json (the built-in monitor's data; restricted, see monitor-access.ts) and
// GET /metrics (Prometheus; counts only, no room or user names, so it is open).
import { Hono, type Context } from 'hono';
import type { Hub } from '../chat/hub.ts';
import type { Metrics } from '../chat/metrics.ts';
import type { InstanceDirectoryView, KafkaInspector, MessageLog } from '../kafka/message-log.ts';
import type { ModerationAction } from '@anime-universe/protocol';
import { monitorAccess } from './monitor-access.ts';
import { renderPrometheus } from './prometheus.ts';

export interface MonitorDeps {
  messages: MessageLog;
  directory: InstanceDirectoryView;
  inspector: KafkaInspector;
  hub: Hub;
  metrics: Metrics;
  instanceId: string;
  monitorToken?: string;
  clientIp(c: Context): string;
  /** The latest moderation records read, newest first. */
  actions?(): ModerationAction[];
}

export function monitorRoute(d: MonitorDeps) {
  const started = Date.now();
  const kafkaUp = () => d.messages.status().state === 'ready';
  return new Hono()
    .get('/metrics', (c) => {
      const text = renderPrometheus({
        metrics: d.metrics.snapshot(), connections: d.hub.connectionCount(), rooms: Object.keys(d.hub.roomCounts()).length,
        kafkaUp: kafkaUp(), lag: d.messages.lag(), rssBytes: process.memoryUsage.rss(),
      });
      return c.text(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    })
    .get('/monitor.json', monitorAccess(d.monitorToken, d.clientIp), async (c) => {
      c.header('Cache-Control', 'no-store');
      const kafka = await d.inspector.inspect().then(
        (inspection) => ({ ok: true as const, ...inspection }),
        (error: Error) => ({ ok: false as const, error: error.message }),
      );
      return c.json({
        generatedAt: new Date().toISOString(),
        instance: {
          id: d.instanceId, uptimeSeconds: Math.round((Date.now() - started) / 1000),
          connections: d.hub.connectionCount(), rooms: d.hub.roomCounts(), lag: d.messages.lag(), kafka: d.messages.status(),
        },
        kafka,
        instances: d.directory.list(), // counts only: names are never in the monitor data
        moderation: d.actions?.() ?? [],
        metrics: d.metrics.snapshot(),
      });
    });
}
