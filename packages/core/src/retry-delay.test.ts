import { describe, expect, it } from 'vitest';

import { backoffDelayMs, defaultRetryPolicy, retryAfterMs } from './retry-delay.js';

const now = Date.parse('2030-01-01T00:00:00.000Z');
const headers = (init: Record<string, string>) => new Headers(init);

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '0' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': '3600' }), now)).toBe(3_600_000);
    expect(retryAfterMs(headers({ 'retry-after': '1.5' }), now)).toBe(1500);
  });

  it('reads Retry-After as an HTTP date, relative to now', () => {
    expect(retryAfterMs(headers({ 'retry-after': new Date(now + 7000).toUTCString() }), now)).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 01 Jan 2030 00:01:00 GMT' }), now)).toBe(60_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(retryAfterMs(headers({ 'retry-after': new Date(now - 60_000).toUTCString() }), now)).toBe(0);
  });

  it('prefers retry-after-ms, in milliseconds', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '150' }), now)).toBe(150);
    expect(retryAfterMs(headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now)).toBe(150);
  });

  it('falls back to Retry-After when retry-after-ms is unusable', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': 'soon', 'retry-after': '9' }), now)).toBe(9000);
    expect(retryAfterMs(headers({ 'retry-after-ms': '-5', 'retry-after': '9' }), now)).toBe(9000);
  });

  it('is undefined without the headers or with garbage', () => {
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'later' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'Infinity' }), now)).toBeUndefined();
  });

  it('ignores a negative number instead of reading it as a date', () => {
    // `Date.parse('-1')` is a date in 2001 for V8, which would mean "retry at once".
    expect(retryAfterMs(headers({ 'retry-after': '-1' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '-30' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '2 5' }), now)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  const noJitter = () => 0;

  it('doubles from 500 ms', () => {
    expect([0, 1, 2, 3, 4].map((index) => backoffDelayMs(index, defaultRetryPolicy, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000,
    ]);
  });

  it('is capped at maxDelayMs', () => {
    expect(backoffDelayMs(5, defaultRetryPolicy, noJitter)).toBe(8000);
    expect(backoffDelayMs(60, defaultRetryPolicy, noJitter)).toBe(8000);
    expect(backoffDelayMs(3, { ...defaultRetryPolicy, maxDelayMs: 1500 }, noJitter)).toBe(1500);
  });

  it('takes off up to 25% as jitter', () => {
    expect(backoffDelayMs(0, defaultRetryPolicy, () => 0.5)).toBe(437.5);
    expect(backoffDelayMs(2, defaultRetryPolicy, () => 0.999_999)).toBeCloseTo(1500, 2);
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelayMs(1, defaultRetryPolicy, Math.random);
      expect(delay).toBeGreaterThan(750);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it('has the documented defaults', () => {
    expect(defaultRetryPolicy).toEqual({
      maxRetries: 2,
      initialDelayMs: 500,
      maxDelayMs: 8000,
      maxRetryAfterMs: 60_000,
    });
  });
});
