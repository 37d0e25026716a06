// The built-in Kafka monitor at /monitor: polls /monitor.json every 2 s.
import { createSignal, For, onCleanup, Show } from 'solid-js';
import type { MonitorData } from '@anime-universe/protocol';
import { localTime } from '../lib/format.ts';
import { GroupTable, PartitionTable } from './kafka-tables.tsx';
import { fetchMonitor, monitorToken } from './monitor-data.ts';
import { ThroughputChart } from './throughput-chart.tsx';

type KafkaOk = Extract<MonitorData['kafka'], { ok: true }>;
const kafkaOk = (d: MonitorData): KafkaOk | undefined => (d.kafka.ok ? d.kafka : undefined);
const kafkaError = (d: MonitorData): string => (d.kafka.ok ? '' : d.kafka.error);

export function MonitorApp() {
  const token = monitorToken();
  const [data, setData] = createSignal<MonitorData>();
  const [problem, setProblem] = createSignal<string>();
  const load = async () => {
    const r = await fetchMonitor(token);
    if (r.ok) {
      setData(r.data);
      setProblem(undefined);
    } else setProblem(r.status === 403 ? `${r.message} Open it as /monitor#token=<MONITOR_TOKEN>.` : r.message);
  };
  void load();
  const timer = setInterval(load, 2000);
  onCleanup(() => clearInterval(timer));
  const m = () => data()?.metrics;

  return (
    <div class="monitor">
      <header class="panel header">
        <h1 class="title"><span class="logo" aria-hidden="true">✦</span> Anime Universe · Kafka monitor</h1>
        <a class="link-button" href="/">Back to the chat</a>
      </header>
      <Show when={problem()}>{(p) => <p class="panel monitor-problem" role="alert">{p()}</p>}</Show>
      <Show when={data()}>
        {(d) => (
          <main class="monitor-grid">
            <section class="panel card stats" aria-label="Totals">
              <div><span class="stat-label">Kafka</span><strong data-testid="kafka-state">{d().instance.kafka.state}</strong></div>
              <div><span class="stat-label">Produced</span><strong>{m()?.produced}</strong></div>
              <div><span class="stat-label">Consumed</span><strong>{m()?.consumed}</strong></div>
              <div><span class="stat-label">Produce p50 / p95 / p99</span>
                <strong data-testid="latency">{m()?.latency.p50.toFixed(1)} / {m()?.latency.p95.toFixed(1)} / {m()?.latency.p99.toFixed(1)} ms</strong></div>
            </section>
            <section class="panel card wide"><ThroughputChart perSecond={m()?.perSecond ?? []} /></section>
            <Show when={kafkaOk(d())} fallback={<p class="panel card" role="alert">Kafka: {kafkaError(d())}</p>}>
              {(k) => (
                <>
                  <section class="panel card">
                    <h2>Topic <span class="mono">{k().topic}</span></h2>
                    <p class="muted">{k().brokers} broker(s)</p>
                    <PartitionTable partitions={k().partitions} />
                  </section>
                  <section class="panel card"><GroupTable groups={k().groups} /></section>
                </>
              )}
            </Show>
            <section class="panel card">
              <h2>Server instances</h2>
              <p class="muted">this page: <span class="mono">{d().instance.id}</span>, up {d().instance.uptimeSeconds} s</p>
              <table class="data">
                <caption>Connections per instance and room</caption>
                <thead><tr><th scope="col">Instance</th><th scope="col">Connections</th><th scope="col">Rooms</th></tr></thead>
                <tbody>
                  <For each={d().instances} fallback={<tr><td colspan="3">No instance has reported yet.</td></tr>}>
                    {(i) => (
                      <tr data-instance={i.id}>
                        <td class="mono">{i.id}{i.id === d().instance.id ? ' (this one)' : ''}</td>
                        <td>{i.connections}</td>
                        <td>{Object.entries(i.rooms).map(([room, n]) => `#${room} ${n}`).join(', ') || 'none'}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </section>
            <section class="panel card">
              <h2>Moderation</h2>
              <table class="data">
                <caption>Latest moderation records on the topic, newest first</caption>
                <thead><tr><th scope="col">Time</th><th scope="col">Room</th><th scope="col">Action</th><th scope="col">By</th><th scope="col">Offset</th></tr></thead>
                <tbody>
                  <For each={d().moderation ?? []} fallback={<tr><td colspan="5">No moderation since this instance started.</td></tr>}>
                    {(a) => (
                      <tr data-kind={a.kind}>
                        <td>{localTime(a.at)}</td>
                        <td>#{a.room}</td>
                        <td>{a.kind}: {a.detail}</td>
                        <td class="mono">{a.by}</td>
                        <td>{a.offset}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </section>
          </main>
        )}
      </Show>
    </div>
  );
}
