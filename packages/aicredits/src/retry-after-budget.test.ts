import { withClock } from '@aicredits/core/provider-utils';
import { manualClock, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createAccounts } from './create-accounts.js';
import { type BalanceFailure, RateLimitError, ServerError } from './index.js';

const apiKey = 'imp-retry-after-KEY-0123456789';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

describe('a wait longer than what is left of the account budget', () => {
  it('Retry-After 30 s with a 10 s budget: RateLimitError at once, with retryAfterMs, no sleep', async () => {
    const { clock, waits } = manualClock();
    server.respondWith({ status: 429, headers: { 'retry-after': '30' }, body: { message: 'slow down' } });
    const [result] = await createAccounts({
      accounts: [{ provider: 'imaginepro', label: 'busy', apiKey, baseURL: server.url }],
      accountTimeout: 10_000,
      settings: withClock({}, clock),
    }).balances();
    const { error } = result as BalanceFailure;
    expect(RateLimitError.isInstance(error), String(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(30_000);
    expect(waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a Retry-After within the budget is still waited for', async () => {
    const { clock, waits } = manualClock();
    server.respondWith(
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 503, headers: { 'retry-after': '2' } },
    );
    const [result] = await createAccounts({
      accounts: [{ provider: 'imaginepro', label: 'busy', apiKey, baseURL: server.url }],
      accountTimeout: 10_000,
      settings: withClock({ maxRetries: 1 }, clock),
    }).balances();
    expect(ServerError.isInstance((result as BalanceFailure).error)).toBe(true);
    expect(waits).toEqual([2_000]);
    expect(server.requests).toHaveLength(2);
  });
});
