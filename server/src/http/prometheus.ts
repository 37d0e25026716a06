// Renders the server's counters in the Prometheus text exposition format.
import type { MetricsSnapshot } from '../chat/metrics.ts';

export interface PrometheusInput {
  metrics: MetricsSnapshot;
  connections: number;
  rooms: number;
  kafkaUp: boolean;
  lag: Record<number, number>;
  rssBytes: number;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderPrometheus(p: PrometheusInput): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: Array<[labels: Record<string, string | number>, value: number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${esc(String(v))}"`).join(',');
      lines.push(`${name}${l ? `{${l}}` : ''} ${value}`);
    }
  };
  const m = p.metrics;
  metric('chat_messages_produced_total', 'counter', 'Messages this instance stored in Kafka.', [[{}, m.produced]]);
  metric('chat_produce_failures_total', 'counter', 'Sends Kafka did not acknowledge.', [[{}, m.produceFailures]]);
  metric('chat_messages_consumed_total', 'counter', 'Messages this instance consumed from Kafka.', [[{}, m.consumed]]);
  metric('chat_ws_connections', 'gauge', 'Open WebSocket connections.', [[{}, p.connections]]);
  metric('chat_rooms', 'gauge', 'Rooms with at least one connection on this instance.', [[{}, p.rooms]]);
  metric('chat_kafka_up', 'gauge', '1 when Kafka is reachable and the consumer runs.', [[{}, p.kafkaUp ? 1 : 0]]);
  metric('chat_consumer_lag', 'gauge', 'Messages this instance has not consumed yet, per partition.',
    Object.entries(p.lag).map(([partition, lag]) => [{ partition }, lag]));
  lines.push('# HELP chat_produce_latency_seconds Time from send to Kafka acknowledgement.', '# TYPE chat_produce_latency_seconds histogram');
  for (const b of m.latency.buckets) lines.push(`chat_produce_latency_seconds_bucket{le="${b.le / 1000}"} ${b.count}`);
  lines.push(`chat_produce_latency_seconds_bucket{le="+Inf"} ${m.latency.count}`);
  lines.push(`chat_produce_latency_seconds_sum ${m.latency.sumMs / 1000}`, `chat_produce_latency_seconds_count ${m.latency.count}`);
  metric('chat_ws_errors_total', 'counter', 'Error frames sent to WebSocket clients, by code.',
    Object.entries(m.errors).map(([code, n]) => [{ code }, n]));
  metric('chat_rate_limited_total', 'counter', 'Messages refused by rate limits, by transport.',
    Object.entries(m.rateLimited).map(([transport, n]) => [{ transport }, n]));
  metric('chat_event_loop_delay_seconds', 'gauge', 'How late timers fire over the last minute (quantile 1 is the worst).',
    [[{ quantile: '0.5' }, m.loopDelay.p50 / 1000], [{ quantile: '0.99' }, m.loopDelay.p99 / 1000], [{ quantile: '1' }, m.loopDelay.max / 1000]]);
  metric('process_resident_memory_bytes', 'gauge', 'Resident memory of the server process.', [[{}, p.rssBytes]]);
  return `${lines.join('\n')}\n`;
}
