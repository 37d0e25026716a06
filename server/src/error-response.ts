// JSON error responses {"error":{"code","message"}} with the status the protocol assigns.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERRORS, type ErrorCode } from '@anime-universe/protocol';

export function errorResponse(c: Context, code: ErrorCode, message?: string, headers?: Record<string, string>): Response {
  const spec = ERRORS[code];
  return c.json({ error: { code, message: message ?? spec.message } }, spec.status as ContentfulStatusCode, headers);
}
