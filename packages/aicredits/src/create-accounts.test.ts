import { type MockServers, startMockServers } from '@aicredits/mock';
import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createAccounts } from './create-accounts.js';
import {
  type AccountConfig,
  AuthenticationError,
  type BalanceFailure,
  type BalanceResult,
  type BalanceSuccess,
  ConnectionError,
  MissingApiKeyError,
  ServerError,
  SettingsError,
} from './index.js';
import { closedPortURL, example, findLeaks, iqqzSubscription, pixverseAccountSecrets } from './testing/fixtures.js';

const apiKey = 'sk-facade-test-KEY-0123456789';

let servers: MockServers;
// Generous limits: the machine may be busy running other suites; nothing here is timed.
beforeAll(async () => {
  servers = await startMockServers();
}, 60_000);
afterAll(async () => {
  await servers?.close();
});

function success(result: BalanceResult | undefined): BalanceSuccess {
  expect(result?.ok, result?.ok === false ? `${result.error.name}: ${result.error.message}` : 'missing').toBe(true);
  return result as BalanceSuccess;
}

function failure(result: BalanceResult | undefined): BalanceFailure {
  expect(result?.ok).toBe(false);
  return result as BalanceFailure;
}

describe('createAccounts against the mock', () => {
  it('returns one result per account in config order, several accounts per provider with labels', async () => {
    const { urls } = servers;
    const accounts: AccountConfig[] = [
      { provider: 'iqqz', label: 'gpt-images', apiKey, baseURL: urls.iqqz, headers: example('fractional') },
      {
        provider: 'crowdcomputed',
        label: 'studio',
        apiKey,
        baseURL: urls.crowdcomputed,
        headers: example('professional'),
      },
      { provider: 'imaginepro', label: 'main', apiKey, baseURL: urls.imaginepro },
      {
        provider: 'crowdcomputed',
        label: 'lapsed',
        apiKey,
        baseURL: urls.crowdcomputed,
        headers: example('unsubscribed'),
      },
      {
        provider: 'pixverse',
        label: 'intern',
        email: 'intern@example.com',
        apiKey,
        baseURL: urls.pixverse,
        headers: example('lowCredits'),
      },
      { provider: 'imaginepro', label: 'side-project', apiKey, baseURL: urls.imaginepro, headers: example('noExtra') },
      { provider: 'iqqz', apiKey, baseURL: urls.iqqz, unit: 'CNY' },
    ];
    const results = await createAccounts({ accounts }).balances();

    expect(results.map((result) => [result.provider, result.account, result.ok])).toEqual([
      ['iqqz', 'gpt-images', true],
      ['crowdcomputed', 'studio', true],
      ['imaginepro', 'main', true],
      ['crowdcomputed', 'lapsed', true],
      ['pixverse', 'intern', true],
      ['imaginepro', 'side-project', true],
      ['iqqz', 'default', true],
    ]);
    const balances = results.map((result) => success(result).balance);
    expect(balances.map((balance) => [balance.account, balance.remaining, balance.limit, balance.unit])).toEqual([
      ['gpt-images', 11.2655, 12.5, 'USD'],
      ['studio', 37170, 50000, 'points'],
      ['main', 2600, undefined, 'credits'],
      ['lapsed', 150, 1500, 'points'],
      ['intern', 15, undefined, 'credits'],
      ['side-project', 1240, 1600, 'credits'],
      ['default', 2.5, 5, 'CNY'],
    ]);
    expect(balances[3]?.status).toBe('unsubscribed');
    expect(balances[1]?.renewsAt).toEqual(new Date('2027-03-15T00:00:00Z'));
    // No threshold configured: nothing is low.
    expect(results.every((result) => result.ok && result.min === undefined && !result.low)).toBe(true);
    expect(findLeaks(JSON.stringify(results), [apiKey])).toEqual([]);
  });

  it('PixVerse allAccounts: one result per discovered email, labelled, and no session token or password anywhere', async () => {
    const { urls } = servers;
    const results = await createAccounts({
      accounts: [
        { provider: 'iqqz', label: 'before', apiKey, baseURL: urls.iqqz },
        { provider: 'pixverse', label: 'team', apiKey, baseURL: urls.pixverse, allAccounts: true },
        { provider: 'pixverse', apiKey, baseURL: urls.pixverse, allAccounts: true },
        { provider: 'imaginepro', label: 'after', apiKey, baseURL: urls.imaginepro },
      ],
    }).balances();
    expect(results.map((result) => result.account)).toEqual([
      'before',
      'team/alice@example.com',
      'team/bob@example.com',
      'alice@example.com',
      'bob@example.com',
      'after',
    ]);
    for (const result of results.slice(1, 5)) {
      const { balance } = success(result);
      expect(balance.provider).toBe('pixverse');
      expect(balance.account).toBe(result.account);
      expect(balance.remaining).toBe(5650);
    }
    const serialized = JSON.stringify(results);
    expect(findLeaks(serialized, [...pixverseAccountSecrets, apiKey, '"jwt"', '"password"'])).toEqual([]);
  });

  it('PixVerse allAccounts whose discovery fails gives one failure under the configured label', async () => {
    const results = await createAccounts({
      accounts: [
        {
          provider: 'pixverse',
          label: 'team',
          apiKey,
          baseURL: servers.urls.pixverse,
          allAccounts: true,
          headers: { Prefer: 'code=401' },
        },
      ],
    }).balances();
    expect(results).toHaveLength(1);
    const result = failure(results[0]);
    expect(result.account).toBe('team');
    expect(AuthenticationError.isInstance(result.error)).toBe(true);
  });

  it('a failing envelope fails only that account, with a typed error', async () => {
    const { urls } = servers;
    const results = await createAccounts({
      accounts: [
        {
          provider: 'crowdcomputed',
          label: 'revoked',
          apiKey,
          baseURL: urls.crowdcomputed,
          headers: example('failed'),
        },
        {
          provider: 'crowdcomputed',
          label: 'ok',
          apiKey,
          baseURL: urls.crowdcomputed,
          headers: example('professional'),
        },
      ],
    }).balances();
    const revoked = failure(results[0]);
    expect(AuthenticationError.isInstance(revoked.error)).toBe(true);
    expect(revoked.error).toMatchObject({ status: 200, providerMessage: 'unauthorized' });
    expect(success(results[1]).balance.remaining).toBe(37170);
  });

  it('one provider down (closed port) while the others answer', async () => {
    const { urls } = servers;
    const down = await closedPortURL();
    const results = await createAccounts({
      accounts: [
        { provider: 'imaginepro', label: 'up-1', apiKey, baseURL: urls.imaginepro },
        { provider: 'crowdcomputed', label: 'down', apiKey, baseURL: down },
        { provider: 'iqqz', label: 'up-2', apiKey, baseURL: urls.iqqz },
      ],
      settings: { maxRetries: 0 },
    }).balances();
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const { error } = failure(results[1]);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.name).toBe('ConnectionError');
    expect(error.message).toContain(down);
    expect(error.message).not.toContain(apiKey);
  });

  it('an invalid baseURL fails that account with a SettingsError; the others are fine', async () => {
    const { urls } = servers;
    const results = await createAccounts({
      accounts: [
        { provider: 'iqqz', label: 'plain-http', apiKey, baseURL: 'http://example.com' },
        { provider: 'imaginepro', label: 'not-a-url', apiKey, baseURL: 'not a url' },
        { provider: 'pixverse', label: 'discovery', apiKey, baseURL: 'http://example.com', allAccounts: true },
        { provider: 'iqqz', label: 'empty-key', apiKey: '', baseURL: urls.iqqz },
        { provider: 'crowdcomputed', label: 'fine', apiKey, baseURL: urls.crowdcomputed },
      ],
    }).balances();
    expect(results.map((result) => [result.account, result.ok])).toEqual([
      ['plain-http', false],
      ['not-a-url', false],
      ['discovery', false],
      ['empty-key', false],
      ['fine', true],
    ]);
    for (const result of results.slice(0, 3)) {
      const { error } = failure(result);
      expect(SettingsError.isInstance(error), error.message).toBe(true);
      expect(error).toMatchObject({ name: 'SettingsError', setting: 'baseURL' });
    }
    expect(MissingApiKeyError.isInstance(failure(results[3]).error)).toBe(true);
    expect(findLeaks(JSON.stringify(results), [apiKey])).toEqual([]);
  });

  it('an unknown provider (from untyped code) fails only that account', async () => {
    const results = await createAccounts({
      accounts: [
        { provider: 'openai', label: 'bogus', apiKey } as unknown as AccountConfig,
        { provider: 'imaginepro', apiKey, baseURL: servers.urls.imaginepro },
      ],
    }).balances();
    expect(failure(results[0]).error.message).toMatch(/unknown provider "openai"; expected one of .*iqqz/);
    expect(results[1]?.ok).toBe(true);
  });

  describe('thresholds', () => {
    it('per-account min overrides the global min; low only when below', async () => {
      const { urls } = servers;
      const studio = {
        provider: 'crowdcomputed',
        apiKey,
        baseURL: urls.crowdcomputed,
        headers: example('professional'),
      } as const;
      const results = await createAccounts({
        min: 40_000,
        accounts: [
          { ...studio, label: 'global-min' },
          { ...studio, label: 'own-min-below', min: 37_171 },
          { ...studio, label: 'own-min-equal', min: 37_170 },
          { ...studio, label: 'own-min-zero', min: 0 },
        ],
      }).balances();
      expect(results.map((result) => [result.account, result.min, success(result).low])).toEqual([
        ['global-min', 40_000, true],
        ['own-min-below', 37_171, true],
        ['own-min-equal', 37_170, false],
        ['own-min-zero', 0, false],
      ]);
    });

    it('a zero balance is low against min 1 and an unlimited token is never low', async () => {
      const { urls } = servers;
      const results = await createAccounts({
        min: 1e12,
        accounts: [
          { provider: 'iqqz', label: 'unlimited', apiKey, baseURL: urls.iqqz, headers: example('unlimited') },
          {
            provider: 'imaginepro',
            label: 'empty',
            apiKey,
            baseURL: urls.imaginepro,
            headers: example('expired'),
            min: 1,
          },
        ],
      }).balances();
      const unlimited = success(results[0]);
      expect(unlimited.balance.unlimited).toBe(true);
      expect(unlimited.balance.remaining).toBeUndefined();
      expect(unlimited.low).toBe(false);
      const empty = success(results[1]);
      expect(empty.balance.remaining).toBe(0);
      expect(empty.low).toBe(true);
    });

    it('min set and the remaining amount unknown counts as low', async () => {
      // iqqz with a working subscription endpoint and a failing usage endpoint: remaining unknown.
      const gateway = await startTestServer();
      try {
        gateway.handle((request, response) => {
          const usage = request.url?.startsWith('/v1/dashboard/billing/usage');
          response.writeHead(usage ? 500 : 200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(usage ? { error: { message: 'down', type: 'server_error' } } : iqqzSubscription));
        });
        const results = await createAccounts({
          accounts: [
            { provider: 'iqqz', label: 'with-min', apiKey, baseURL: gateway.url, min: 1 },
            { provider: 'iqqz', label: 'without-min', apiKey, baseURL: gateway.url },
          ],
          settings: { maxRetries: 0 },
        }).balances();
        const withMin = success(results[0]);
        expect(withMin.balance.remaining).toBeUndefined();
        expect(withMin.balance.limit).toBe(5);
        expect(withMin.balance.notes.join(' ')).toContain('usage unavailable');
        expect(withMin.low).toBe(true);
        expect(success(results[1]).low).toBe(false);
      } finally {
        await gateway.close();
      }
    });
  });

  it('calls onResult once per result, with the same objects as returned', async () => {
    const { urls } = servers;
    const seen: BalanceResult[] = [];
    const results = await createAccounts({
      accounts: [
        { provider: 'pixverse', label: 'team', apiKey, baseURL: urls.pixverse, allAccounts: true },
        { provider: 'crowdcomputed', apiKey, baseURL: urls.crowdcomputed, headers: example('failed') },
        { provider: 'iqqz', apiKey, baseURL: 'http://example.com' },
        { provider: 'imaginepro', apiKey, baseURL: urls.imaginepro },
      ],
    }).balances({ onResult: (result) => seen.push(result) });
    expect(results).toHaveLength(5);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(results));
  });

  it('an empty account list gives no results', async () => {
    await expect(createAccounts({ accounts: [] }).balances()).resolves.toEqual([]);
  });

  it.each([
    ['concurrency', { concurrency: 0 }],
    ['concurrency', { concurrency: 1.5 }],
    ['accountTimeout', { accountTimeout: -1 }],
    ['accountTimeout', { accountTimeout: 2 ** 31 }],
    ['min', { min: Number.NaN }],
    ['settings.timeout', { settings: { timeout: -1 } }],
    ['settings.maxRetries', { settings: { maxRetries: -1 } }],
    ['accounts[0].min', { accounts: [{ provider: 'iqqz' as const, min: -5 }] }],
  ])('refuses a bad %s when built, with a SettingsError naming it, before any call', (setting, overrides) => {
    let thrown: unknown;
    try {
      createAccounts({ accounts: [], ...overrides });
    } catch (error) {
      thrown = error;
    }
    expect(SettingsError.isInstance(thrown)).toBe(true);
    expect((thrown as SettingsError).setting).toBe(setting);
    expect((thrown as SettingsError).message).toMatch(
      new RegExp(`^aicredits: ${setting.replace(/[.[\]]/g, '\\$&')} must be`),
    );
  });
});

describe('createAccounts against a scripted server', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  it('a provider answering 503 fails with a ServerError carrying status and raw body; the others answer', async () => {
    server = await startTestServer();
    server.respondWith({ status: 503, body: { error: 'Service Unavailable', code: 503 } });
    const results = await createAccounts({
      accounts: [
        { provider: 'pixverse', label: 'busy', apiKey, baseURL: server.url },
        { provider: 'imaginepro', label: 'fine', apiKey, baseURL: servers.urls.imaginepro },
      ],
      settings: { maxRetries: 0 },
    }).balances();
    const { error } = failure(results[0]);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, rawBody: '{"error":"Service Unavailable","code":503}' });
    expect(server.requests).toHaveLength(1);
    expect(success(results[1]).balance.remaining).toBe(2600);
  });
});
