// A tiny result type so boundaries report bad input without throwing.
import type { ErrorCode } from './codes.ts';

export interface ResultError {
  code: ErrorCode;
  message: string;
  /** The sender's clientId when the input carried a valid one, so errors can be matched. */
  clientId?: string;
  /** When trying again could work (rate limits, timeouts). */
  retryAfterMs?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ResultError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(code: ErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message },
});
