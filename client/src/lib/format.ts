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
