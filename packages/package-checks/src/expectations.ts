import { expect } from 'vitest';

// The default (first) examples of the specs in specs/, which the mock servers answer with. When a
// spec's default example changes, change the numbers here with it.

/** What each client's raw call returns from the mock servers. */
export function expectSeedResponses(output: {
  crowdcomputed: unknown;
  pixverse: unknown;
  imaginepro: unknown;
  iqqzSubscription: unknown;
  iqqzUsage: unknown;
}): void {
  expect(output.crowdcomputed).toMatchObject({ memberType: 'hobby', status: 'subscribed', totalPoints: 0 });
  expect(output.pixverse).toMatchObject({
    plan_name: 'Pro Plan',
    credit_daily: 30,
    credit_monthly: 5600,
    credit_package: 20,
  });
  expect(output.imaginepro).toMatchObject({ type: 'STARTER', credits: 1600, creditsExtra: 1000, creditsQuota: 1600 });
  expect(output.iqqzSubscription).toMatchObject({ object: 'billing_subscription', hard_limit_usd: 5 });
  expect(output.iqqzUsage).toMatchObject({ object: 'list', total_usage: 250 });
}

/** The normalized balances, as `createAccounts().balances()` and `aicredits balances --json` give them. */
export function expectSeedBalances(results: readonly unknown[]): void {
  expect(results).toHaveLength(4);
  const byProvider = Object.fromEntries(
    (results as { provider: string }[]).map((result) => [result.provider, result]),
  ) as Record<string, unknown>;
  expect(byProvider.crowdcomputed).toMatchObject({
    ok: true,
    balance: { provider: 'crowdcomputed', plan: 'hobby', unit: 'points', remaining: 0 },
  });
  expect(byProvider.pixverse).toMatchObject({
    ok: true,
    balance: { provider: 'pixverse', plan: 'Pro Plan', unit: 'credits', remaining: 5650 },
  });
  expect(byProvider.imaginepro).toMatchObject({
    ok: true,
    balance: {
      provider: 'imaginepro',
      plan: 'STARTER',
      unit: 'credits',
      remaining: 2600,
      parts: [
        { name: 'monthly', remaining: 1600, limit: 1600 },
        { name: 'extra', remaining: 1000 },
      ],
    },
  });
  expect(byProvider.iqqz).toMatchObject({
    ok: true,
    balance: { provider: 'iqqz', unit: 'USD', remaining: 2.5, limit: 5, used: 2.5 },
  });
}

/** Environment variables holding the (fake) API keys the CLI's config points at. */
export const fakeKeys = {
  SMOKE_CROWDCOMPUTED_KEY: 'smoke-crowdcomputed-key',
  SMOKE_USEAPI_TOKEN: 'smoke-useapi-token',
  SMOKE_IMAGINEPRO_KEY: 'smoke-imaginepro-key',
  SMOKE_IQQZ_KEY: 'smoke-iqqz-key',
} as const;

/** An `aicredits` config file with one account per provider, pointed at mock servers. */
export function cliConfig(urls: Record<'crowdcomputed' | 'pixverse' | 'imaginepro' | 'iqqz', string>): string {
  return JSON.stringify(
    {
      accounts: [
        { provider: 'crowdcomputed', apiKeyEnv: 'SMOKE_CROWDCOMPUTED_KEY', baseURL: urls.crowdcomputed },
        { provider: 'pixverse', apiKeyEnv: 'SMOKE_USEAPI_TOKEN', baseURL: urls.pixverse },
        { provider: 'imaginepro', apiKeyEnv: 'SMOKE_IMAGINEPRO_KEY', baseURL: urls.imaginepro },
        { provider: 'iqqz', apiKeyEnv: 'SMOKE_IQQZ_KEY', baseURL: urls.iqqz },
      ],
    },
    null,
    2,
  );
}

/** Parses the JSON document a script or the CLI printed, with the whole output in the failure. */
export function parseJsonOutput<T = unknown>(stdout: string, stderr = ''): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
  }
}

/** What `fixtures/runtimes/smoke.mjs` returns, in any runtime. */
export interface RuntimeSmokeOutput {
  runtime: string;
  providerIds: string[];
  crowdcomputed: unknown;
  crowdcomputedBalance: unknown;
  pixverse: unknown;
  pixverseAccounts: unknown;
  pixverseBalance: unknown;
  imaginepro: unknown;
  imagineproBalance: unknown;
  iqqzSubscription: unknown;
  iqqzUsage: unknown;
  iqqzBalance: unknown;
  rawClientStatus: unknown;
  rejected: unknown;
  aborted: unknown;
  balances: unknown[];
}

/** The runtime smoke run gave the seed values, from the runtime it was meant to run in. */
export function expectRuntimeSmokeOutput(output: RuntimeSmokeOutput, runtime: string): void {
  expect(output.runtime).toBe(runtime);
  expect(output.providerIds).toEqual(['crowdcomputed', 'imaginepro', 'iqqz', 'pixverse']);
  expectSeedResponses(output);
  expect(output.pixverseAccounts).toEqual([
    { email: 'alice@example.com', maxJobs: 8, sessionExpiresAt: '2025-01-01T12:13:14.000Z' },
    { email: 'bob@example.com', maxJobs: 3, sessionExpiresAt: '2025-01-01T12:13:14.000Z' },
  ]);
  expect(output.crowdcomputedBalance).toMatchObject({
    provider: 'crowdcomputed',
    account: 'default',
    plan: 'hobby',
    unit: 'points',
    remaining: 0,
    limit: 0,
    used: 0,
    status: 'active',
  });
  expect(output.pixverseBalance).toMatchObject({
    provider: 'pixverse',
    plan: 'Pro Plan',
    unit: 'credits',
    remaining: 5650,
    parts: [
      { name: 'daily', remaining: 30 },
      { name: 'monthly', remaining: 5600 },
      { name: 'package', remaining: 20 },
    ],
    expiresAt: '2025-01-01T21:21:21.000Z',
    status: 'expired',
  });
  expect(output.imagineproBalance).toMatchObject({
    provider: 'imaginepro',
    plan: 'STARTER',
    unit: 'credits',
    remaining: 2600,
    expiresAt: '2022-10-07T14:30:00.000Z',
    status: 'expired',
  });
  expect(output.iqqzBalance).toMatchObject({
    provider: 'iqqz',
    unit: 'USD',
    remaining: 2.5,
    limit: 5,
    used: 2.5,
    unlimited: false,
    status: 'active',
  });
  expect(output.rawClientStatus).toBe(200);
  expect(output.rejected).toEqual({
    name: 'AuthenticationError',
    isAiCreditsError: true,
    instanceOfAuthenticationError: true,
    instanceOfUserAbortError: false,
  });
  expect(output.aborted).toEqual({
    name: 'UserAbortError',
    isAiCreditsError: true,
    instanceOfAuthenticationError: false,
    instanceOfUserAbortError: true,
  });
  expectSeedBalances(output.balances);
}

/** The smoke output without what differs from run to run (`fetchedAt`) or names the runtime. */
export function comparableSmokeOutput(output: RuntimeSmokeOutput): unknown {
  return JSON.parse(JSON.stringify({ ...output, runtime: undefined }), (key, value: unknown) =>
    key === 'fetchedAt' ? undefined : value,
  );
}
