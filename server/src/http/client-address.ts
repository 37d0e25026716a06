// The address a request comes from, for rate limits, connection limits and the monitor's
// loopback rule. Behind a reverse proxy every request comes from the proxy, so with
// TRUST_PROXY naming the proxies, the address is taken from X-Forwarded-For (or Forwarded):
// the rightmost entry that is not itself a trusted proxy, which is the one the trusted proxy
// saw. Headers from anyone else are ignored, so a client cannot pick its own address.
import { isIP } from 'node:net';

const normalize = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();

/** TRUST_PROXY: comma-separated proxy addresses; "loopback" means 127.0.0.1 and ::1. */
export function parseTrustedProxies(raw: string): { proxies: Set<string>; problems: string[] } {
  const proxies = new Set<string>();
  const problems: string[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (entry === 'loopback') {
      proxies.add('127.0.0.1').add('::1');
    } else if (isIP(entry)) {
      proxies.add(normalize(entry));
    } else {
      problems.push(`TRUST_PROXY: "${entry}" is not an IP address (or "loopback")`);
    }
  }
  return { proxies, problems };
}

/** Addresses from Forwarded: for=1.2.3.4, for="[2001:db8::1]:4711" (RFC 7239), left to right. */
function forwardedFor(header: string): string[] {
  const out: string[] = [];
  for (const element of header.split(',')) {
    const match = /(?:^|;)\s*for=("?)([^";,]+)\1/i.exec(element);
    if (!match) continue;
    let value = (match[2] as string).trim();
    if (value.startsWith('[')) value = value.slice(1, value.indexOf(']')); // [v6]:port
    else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':')); // v4:port
    out.push(value);
  }
  return out;
}

export function clientAddress(peer: string, headers: { xForwardedFor?: string; forwarded?: string }, trusted: ReadonlySet<string>): string {
  if (!trusted.has(normalize(peer))) return peer;
  const chain = headers.xForwardedFor !== undefined
    ? headers.xForwardedFor.split(',').map((s) => s.trim()).filter(Boolean)
    : headers.forwarded !== undefined ? forwardedFor(headers.forwarded) : [];
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = normalize(chain[i] as string);
    if (!isIP(address)) return peer; // not something a proxy we trust would write
    if (!trusted.has(address)) return address;
  }
  return peer; // only proxies in the chain (or no header): the request is the proxy's own
}
