/**
 * The mock's credits that run down, read through the facade: every provider's account shows a
 * falling balance as the mock's injected clock moves on, and a reset refills them. This is what a
 * QA run of `aicredits watch` sees as a burn rate.
 */
import { type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAccounts } from './create-accounts.js';
import type { AccountConfig, BalanceResult } from './index.js';

const apiKey = 'sk-drain-test-KEY-0123456789';
const minuteMs = 60_000;
let now = Date.parse('2030-01-01T00:00:00Z');
let servers: MockServers;

beforeAll(async () => {
  servers = await startMockServers({
    scenarios: { crowdcomputed: 'professional', imaginepro: 'no-extra' },
    drain: {
      crowdcomputed: { amount: 1000, everyMs: minuteMs },
      pixverse: { amount: 100, everyMs: minuteMs },
      imaginepro: { amount: 40, everyMs: minuteMs },
      iqqz: { amount: 0.5, everyMs: minuteMs },
    },
    dates: 'current',
    clock: { now: () => now },
  });
});
afterAll(async () => {
  await servers?.close();
});

function remainingOf(results: readonly BalanceResult[]): Array<[string, number | undefined]> {
  return results.map((result) => {
    if (!result.ok) throw new Error(`${result.provider}: ${result.error.message}`);
    return [result.provider, result.balance.remaining];
  });
}

describe('createAccounts against draining mocks', () => {
  it('shows every balance falling with the clock, renewals ahead of it, and a reset refilling them', async () => {
    const { urls } = servers;
    const accounts: AccountConfig[] = [
      { provider: 'crowdcomputed', apiKey, baseURL: urls.crowdcomputed },
      { provider: 'pixverse', apiKey, baseURL: urls.pixverse },
      { provider: 'imaginepro', apiKey, baseURL: urls.imaginepro },
      { provider: 'iqqz', apiKey, baseURL: urls.iqqz },
    ];
    const facade = createAccounts({ accounts });

    const full = await facade.balances();
    expect(remainingOf(full)).toEqual([
      ['crowdcomputed', 37170],
      ['pixverse', 5650],
      ['imaginepro', 1240],
      ['iqqz', 2.5],
    ]);
    for (const result of full) {
      if (result.ok && result.balance.renewsAt !== undefined) {
        expect(result.balance.renewsAt.getTime()).toBeGreaterThan(now);
      }
    }

    now += 3 * minuteMs;
    expect(remainingOf(await facade.balances())).toEqual([
      ['crowdcomputed', 34170],
      ['pixverse', 5350],
      ['imaginepro', 1120],
      ['iqqz', 1],
    ]);

    servers.reset();
    expect(remainingOf(await facade.balances())).toEqual(remainingOf(full));
  });
});

describe('a draining iqqz gateway', () => {
  it('stops at the token limit: remaining reaches zero and stays there, as the gateway shows it', async () => {
    const gateway = await startMockServers({ providers: ['iqqz'], drain: { iqqz: { amount: 1 } } });
    try {
      const remaining = async (headers: Record<string, string> = {}) => {
        const [result] = await createAccounts({
          accounts: [{ provider: 'iqqz', apiKey, baseURL: gateway.urls.iqqz, headers, unit: 'USD' }],
        }).balances();
        if (!result?.ok) throw new Error(`iqqz: ${result?.ok === false ? result.error.message : 'no result'}`);
        return [result.balance.remaining, result.balance.used, result.balance.limit];
      };
      // The `success` example: a limit of 5, 2.5 used; one unit more per request.
      const readings = [];
      for (let index = 0; index < 5; index++) readings.push(await remaining());
      expect(readings).toEqual([
        [2.5, 2.5, 5],
        [1.5, 3.5, 5],
        [0.5, 4.5, 5],
        [0, 5, 5],
        [0, 5, 5],
      ]);
      // Another example's limit caps its own usage: 12.5 for `fractional`.
      gateway.reset();
      const fractional = { Prefer: 'example=fractional' };
      for (let index = 0; index < 20; index++) await remaining(fractional);
      expect(await remaining(fractional)).toEqual([0, 12.5, 12.5]);
    } finally {
      await gateway.close();
    }
  });
});
