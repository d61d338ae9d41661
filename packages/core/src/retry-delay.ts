export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** First backoff delay; doubles on every retry. */
  initialDelayMs: number;
  /** Upper bound of the exponential backoff. */
  maxDelayMs: number;
  /** A server asking to wait longer than this is not retried; its error carries `retryAfterMs`. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** The wait a response asks for: `retry-after-ms` (milliseconds), else `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const milliseconds = parseNonNegative(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return milliseconds;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = parseNonNegative(value);
  if (seconds !== undefined) return seconds * 1000;
  // An HTTP date names its month; without this, V8 reads e.g. "-1" as a date in 2001 (no wait at all).
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with up to 25% jitter, so that many clients do not retry in lockstep. */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const delay = Math.min(policy.initialDelayMs * 2 ** retryIndex, policy.maxDelayMs);
  return delay * (1 - random() * 0.25);
}

function parseNonNegative(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
