import type { ServerResponse } from 'node:http';

import { withClock } from '@aicredits/core/provider-utils';
import { manualClock, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createAccounts } from './create-accounts.js';
import { maxDiscoveredAccounts } from './discovery-limit.js';
import { type BalanceFailure, InvalidResponseError, TimeoutError } from './index.js';

const apiKey = 'useapi-discovery-KEY-0123456789';
/** The smallest entries the spec allows (the email falls back to the key): 130 000 fit in 4 MiB. */
function listing(count: number): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`u${index}@x.io`, {}]));
}

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

describe('PixVerse allAccounts', () => {
  it(`a listing of more than ${maxDiscoveredAccounts} accounts fails that entry with a clear message, before any balance request`, async () => {
    server.respondWith({ body: listing(130_000) });
    const results = await createAccounts({
      accounts: [{ provider: 'pixverse', label: 'team', apiKey, baseURL: server.url, allAccounts: true }],
    }).balances();
    expect(results).toHaveLength(1);
    const { error } = results[0] as BalanceFailure;
    expect(InvalidResponseError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toContain(
      `the listing names 130000 accounts; one configured account checks at most ${maxDiscoveredAccounts}`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('the listing and every balance found share one deadline: accountTimeout', async () => {
    const { clock, advance, whenArmed } = manualClock();
    const held: ServerResponse[] = [];
    let releaseListing: (() => void) | undefined;
    server.handle((request, response) => {
      if (request.url?.startsWith('/v2/pixverse/accounts')) {
        releaseListing = () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(listing(3)));
        };
        return;
      }
      held.push(response);
    });
    const running = createAccounts({
      accounts: [{ provider: 'pixverse', label: 'team', apiKey, baseURL: server.url, allAccounts: true }],
      accountTimeout: 10_000,
      settings: withClock({ maxRetries: 0 }, clock),
    }).balances();
    // Listing under way: its own budget and its attempt timeout (the group's timer starts once the
    // listing has found several accounts, for what is left of the deadline set when it began).
    await whenArmed(2);
    while (releaseListing === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    advance(6_000);
    releaseListing();
    while (held.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    // Each balance's own budget has 10 s left; the entry's deadline only 4 s.
    advance(4_000);
    const results = await running;
    expect(results.map((result) => result.account)).toEqual(['team/u0@x.io', 'team/u1@x.io', 'team/u2@x.io']);
    for (const result of results) {
      const { error } = result as BalanceFailure;
      expect(TimeoutError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain('share its time budget of 10000 ms (accountTimeout), listing included');
    }
  });
});
