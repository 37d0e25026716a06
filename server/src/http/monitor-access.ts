// Who may read the monitor data. It names rooms (any slug a chatter invents) and instances, so
// it is not public: with MONITOR_TOKEN set it needs "Authorization: Bearer <token>", without it
// only requests from this machine (loopback) are allowed.
import { timingSafeEqual } from 'node:crypto';

export function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

export function canReadMonitor(ip: string, authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return isLoopback(ip);
  const given = Buffer.from(authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
