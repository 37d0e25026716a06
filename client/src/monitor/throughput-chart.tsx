// Messages per second over the last five minutes as a line chart (SVG, no library).
import { createMemo } from 'solid-js';
import { bucketRates, chartPath, niceMax } from './monitor-data.ts';

const W = 600;
const H = 160;

export function ThroughputChart(props: { perSecond: number[] }) {
  const points = createMemo(() => bucketRates(props.perSecond, 60));
  const max = createMemo(() => niceMax(points()));
  const line = createMemo(() => chartPath(points(), W, H, max()));
  const latest = () => (props.perSecond.slice(-10).reduce((a, b) => a + b, 0) / 10).toFixed(1);
  return (
    <figure class="chart">
      <figcaption>
        Messages per second, last 5 minutes · now <strong data-testid="rate-now">{latest()}</strong>/s
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`Throughput chart, peak scale ${max()} messages per second`}>
        <line x1="0" y1="0.5" x2={W} y2="0.5" class="grid" />
        <line x1="0" y1={H / 2} x2={W} y2={H / 2} class="grid" />
        <path d={`${line()} L${W},${H} L0,${H} Z`} class="area" />
        <path d={line()} class="line" />
      </svg>
      <div class="chart-scale">
        <span>5 min ago</span>
        <span>max {max()}/s</span>
        <span>now</span>
      </div>
    </figure>
  );
}
