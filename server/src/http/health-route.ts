// GET /health: 200 when chat can be served (Kafka reachable and history loaded), else 503.
import { Hono } from 'hono';
import type { MessageLog } from '../kafka/message-log.ts';
import type { Hub } from '../chat/hub.ts';

export function healthRoute(deps: { messages: MessageLog; hub: Hub; instanceId: string; topic: string }) {
  const started = Date.now();
  return new Hono().get('/health', (c) => {
    const kafka = { ...deps.messages.status(), epoch: deps.messages.epoch() };
    const ready = kafka.state === 'ready' && kafka.caughtUp;
    // When ready, a reason is a note (for example a consumer rejoining its group).
    const reason = kafka.state === 'ready' && !kafka.caughtUp
      ? `catching up on the message log (${Math.floor(100 * (kafka.progress ?? 0))} %)`
      : kafka.reason;
    c.header('Cache-Control', 'no-store');
    return c.json({
      status: ready ? 'ok' : 'unavailable',
      ...(reason ? { reason } : {}),
      kafka: { ...kafka, topic: deps.topic },
      connections: deps.hub.connectionCount(),
      rooms: deps.hub.roomCounts(),
      instance: deps.instanceId,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    }, ready ? 200 : 503);
  });
}
