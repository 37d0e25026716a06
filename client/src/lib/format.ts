// Display strings: local times from UTC timestamps, and human reasons for failed sends.

export function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function fullDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'full', timeStyle: 'long' });
}

export function failureReason(error: { code: string; message: string; retryAfterMs?: number } | undefined): string {
  switch (error?.code) {
    case 'rate_limited':
      return `Slow down: you can send again in ${Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))} s.`;
    case 'text_too_long':
      return 'Too long: 500 characters at most.';
    case 'kafka_unavailable':
      return 'Chat is unavailable right now; nothing was sent.';
    case 'timeout':
      return 'No confirmation from the server.';
    default:
      return error?.message ?? 'Not sent.';
  }
}

/** Random ids without crypto.randomUUID, which needs a secure context (https or localhost). */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** "Today", "Yesterday", or the weekday and date, in the browser's time zone. */
export function dayLabel(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (d.toDateString() === now.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long', ...(d.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }) });
}

/** The messages that begin a new day (in the browser's time zone), by key, with the day's label. */
export function dayBreaks(items: ReadonlyArray<{ kind: string; key: string; message?: { timestamp: string } }>, now: Date = new Date()): Map<string, string> {
  const breaks = new Map<string, string>();
  let day = '';
  for (const item of items) {
    if (item.kind !== 'message' || !item.message) continue;
    const d = new Date(item.message.timestamp);
    if (Number.isNaN(d.getTime()) || d.toDateString() === day) continue;
    day = d.toDateString();
    breaks.set(item.key, dayLabel(item.message.timestamp, now));
  }
  return breaks;
}

/** Messages from one sender less than this apart (same day, nothing between) form one group. */
export const GROUP_GAP_MS = 5 * 60_000;

/**
 * Keys of messages that continue the previous one's group: same sender, same day, within five
 * minutes, nothing else (a notice, a removed message) between. They show without avatar and name.
 */
export function continuedMessages(items: ReadonlyArray<{ kind: string; key: string; message?: { username: string; timestamp: string; redacted?: boolean } }>): Set<string> {
  const out = new Set<string>();
  let prev: { username: string; at: number; day: string } | undefined;
  for (const item of items) {
    const m = item.message;
    if (item.kind !== 'message' || !m || m.redacted) {
      prev = undefined;
      continue;
    }
    const at = Date.parse(m.timestamp);
    const day = new Date(at).toDateString();
    if (prev && prev.username === m.username && prev.day === day && at - prev.at < GROUP_GAP_MS && at >= prev.at) out.add(item.key);
    prev = { username: m.username, at, day };
  }
  return out;
}
