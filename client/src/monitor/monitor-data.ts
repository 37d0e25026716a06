// Fetching the monitor data and shaping it for display; no UI here.
import type { MonitorData } from '@anime-universe/protocol';

const TOKEN_KEY = 'anime-universe.monitor-token';

/** A token given as #token=... is kept for this tab and removed from the address bar. */
export function monitorToken(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export type MonitorResult = { ok: true; data: MonitorData } | { ok: false; status: number; message: string };

export async function fetchMonitor(token: string | undefined): Promise<MonitorResult> {
  try {
    const res = await fetch('/monitor.json', { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const body = await res.json();
    if (!res.ok) return { ok: false, status: res.status, message: body?.error?.message ?? res.statusText };
    return { ok: true, data: body as MonitorData };
  } catch (error) {
    return { ok: false, status: 0, message: `The server did not answer (${String(error)}).` };
  }
}

/** Averages per-second counts into `points` buckets (messages per second in each). */
export function bucketRates(perSecond: number[], points: number): number[] {
  const size = Math.max(1, Math.floor(perSecond.length / points));
  const out: number[] = [];
  for (let i = perSecond.length - points * size; i < perSecond.length; i += size) {
    const slice = perSecond.slice(Math.max(0, i), i + size);
    out.push(slice.reduce((a, b) => a + b, 0) / size);
  }
  return out;
}

/** An SVG path through `values`, scaled into width x height (y grows downward). */
export function chartPath(values: number[], width: number, height: number, max: number): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(height - (Math.min(v, max) / max) * height).toFixed(1)}`)
    .join(' ');
}

export function niceMax(values: number[]): number {
  const top = Math.max(1, ...values);
  const magnitude = 10 ** Math.floor(Math.log10(top));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((v) => v >= top) ?? top;
}
