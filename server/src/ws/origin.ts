// Which pages may open /ws/chat. A browser always sends Origin on a WebSocket handshake, so a
// page elsewhere cannot ride a visitor's browser into the chat; clients without one (bots,
// scripts) are not browsers and pass. Allowed: the page this server serves (Origin's host is
// the request's Host) and the origins listed in ALLOWED_ORIGINS.

export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin); // "null" (sandboxed frames, files) does not parse and is refused
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host === host.toLowerCase()) return true;
  return allowed.includes(url.origin);
}

/** Parses ALLOWED_ORIGINS: comma-separated http(s) origins; returns the problems found. */
export function parseOrigins(raw: string): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      const url = new URL(entry);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) throw new Error('not an origin');
      origins.push(url.origin);
    } catch {
      problems.push(`ALLOWED_ORIGINS: "${entry}" is not an origin like https://chat.example.org`);
    }
  }
  return { origins, problems };
}
