/** When to try an HTTP request again: exponential backoff with jitter, and the server's Retry-After. */

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Cap on any single delay, Retry-After included. Default 30 s. */
  maxDelayMs?: number;
  /** Source of randomness in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): base · 2^attempt capped at the maximum, then "equal jitter"
 * (half fixed, half random) so that many clients rejected together do not return together, yet none retries
 * immediately.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * The server's requested wait in milliseconds from `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an
 * HTTP date), or null when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
