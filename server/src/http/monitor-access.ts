// Who may read the monitor data. It names rooms (any slug a chatter invents) and instances, so
// it is not public: with MONITOR_TOKEN set it needs "Authorization: Bearer <token>" (Hono's
// bearerAuth, constant-time compare), without it only requests from this machine (loopback).
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { errorResponse } from '../error-response.ts';

export function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

export function monitorAccess(token: string | undefined, clientIp: (c: Context) => string): MiddlewareHandler {
  if (token) {
    const refuse = { message: (c: Context) => errorResponse(c, 'monitor_forbidden') };
    return bearerAuth({ token, noAuthenticationHeader: refuse, invalidAuthenticationHeader: refuse, invalidToken: refuse });
  }
  return async (c, next) => (isLoopback(clientIp(c)) ? next() : errorResponse(c, 'monitor_forbidden'));
}
