/**
 * Contract tests against the real Prism mock of specs/iqqz.yaml (a one-api / new-api gateway):
 * every documented example decodes (including the gateway error under HTTP 200), every documented
 * error status maps to its typed error, and random schema-valid bodies decode.
 */
import {
  AiCreditsError,
  ApiCallError,
  AuthenticationError,
  InvalidResponseError,
  MissingApiKeyError,
} from '@aicredits/core';
import {
  describeOutcome,
  readProviderSpec,
  recordingFetch,
  rejectionOf,
  seededDynamicOutcomes,
  withEnvironment,
  type Outcome,
  type SpecOperation,
} from '@aicredits/test-server';
import { useMockServer } from '@aicredits/test-server/mock';
import { describe, expect, it } from 'vitest';
import { createIqqz, type BillingSubscription, type BillingUsage, type IqqzSettings } from './index.js';
import { seedSubscription } from './testing/seed-example.js';

const apiKey = 'iqqz-contract-token-0001';
const spec = readProviderSpec('iqqz');
const getSubscriptionSpec = spec.operation('getSubscription');
const getUsageSpec = spec.operation('getUsage');
const invalidToken = '无效的令牌';

/** The usage endpoint has no seed; the spec's first example. */
const firstUsage: BillingUsage = { object: 'list', total_usage: 250 };

const mockURL = useMockServer('iqqz');

function client(settings: IqqzSettings = {}) {
  return createIqqz({ apiKey, baseURL: mockURL(), ...settings });
}

const prefer = (value: string) => ({ headers: { Prefer: value } });

describe('getSubscription examples', () => {
  it('decodes the seed example (served by default) to the documented values', async () => {
    const subscription: BillingSubscription = await client().getSubscription();
    expect(subscription).toEqual(seedSubscription);
    expect(getSubscriptionSpec.response(200).namedExamples[0]).toEqual(['success', seedSubscription]);
  });

  it('decodes `unlimited`, `legacyUnlimited` and `fractional`', async () => {
    await expect(client().getSubscription(prefer('example=unlimited'))).resolves.toMatchObject({
      hard_limit_usd: 100000000,
    });
    await expect(client().getSubscription(prefer('example=legacyUnlimited'))).resolves.toMatchObject({
      soft_limit_usd: 99999999.9999,
      hard_limit_usd: 99999999.9999,
    });
    await expect(client().getSubscription(prefer('example=fractional'))).resolves.toMatchObject({
      hard_limit_usd: 12.5,
      access_until: 1814399999,
    });
  });

  it('turns `gatewayError` (an error body under HTTP 200) into an ApiCallError with the Chinese message', async () => {
    const error = await rejectionOf(client().getSubscription(prefer('example=gatewayError')));
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const apiError = error as ApiCallError;
    expect(apiError.status).toBe(200);
    expect(apiError.providerMessage).toBe(invalidToken);
    expect(apiError.message).toContain(invalidToken);
    expect(apiError.body).toEqual({ error: { message: invalidToken, type: 'new_api_error' } });
  });
});

describe('getUsage examples', () => {
  it('decodes the first example (served by default)', async () => {
    const usage: BillingUsage = await client().getUsage();
    expect(usage).toEqual(firstUsage);
  });

  it('decodes `none`, `fractional` and `unlimited`', async () => {
    await expect(client().getUsage({}, prefer('example=none'))).resolves.toEqual({ object: 'list', total_usage: 0 });
    await expect(client().getUsage({}, prefer('example=fractional'))).resolves.toEqual({
      object: 'list',
      total_usage: 123.45,
    });
    await expect(client().getUsage({}, prefer('example=unlimited'))).resolves.toEqual({
      object: 'list',
      total_usage: 4817.5,
    });
  });

  it('turns `gatewayError` into an ApiCallError with status 200 and the Chinese message', async () => {
    const error = await rejectionOf(client().getUsage({}, prefer('example=gatewayError')));
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).status).toBe(200);
    expect((error as ApiCallError).message).toContain(invalidToken);
  });
});

describe('every named example of the spec', () => {
  const cases: Array<[SpecOperation, (options: { headers: Record<string, string> }) => Promise<unknown>]> = [
    [getSubscriptionSpec, (options) => client().getSubscription(options)],
    [getUsageSpec, (options) => client().getUsage({}, options)],
  ];
  for (const [operation, call] of cases) {
    it(`${operation.operationId}: decodes each success example exactly, and rejects each error example`, async () => {
      const examples = operation.response(200).namedExamples;
      expect(examples.length).toBeGreaterThanOrEqual(5);
      for (const [name, value] of examples) {
        if (typeof value === 'object' && value !== null && 'error' in value) {
          const error = await rejectionOf(call(prefer(`example=${name}`)));
          expect(ApiCallError.isInstance(error), name).toBe(true);
          expect((error as ApiCallError).body, name).toEqual(value);
        } else {
          await expect(call(prefer(`example=${name}`)), name).resolves.toEqual(value);
        }
      }
    });
  }
});

describe('a missing key', () => {
  it('throws MissingApiKeyError naming IQQZ_API_KEY, before any request', async () => {
    const { fetch, requests } = recordingFetch();
    await withEnvironment({ IQQZ_API_KEY: undefined }, async () => {
      const iqqz = createIqqz({ baseURL: mockURL(), fetch });
      for (const call of [() => iqqz.getSubscription(), () => iqqz.getUsage(), () => iqqz.getBalance()]) {
        const error = await rejectionOf(call());
        expect(MissingApiKeyError.isInstance(error)).toBe(true);
        expect((error as MissingApiKeyError).environmentVariable).toBe('IQQZ_API_KEY');
        expect((error as MissingApiKeyError).message).toContain('IQQZ_API_KEY');
      }
    });
    expect(requests).toHaveLength(0);
  });

  it('without the Authorization header gets Prism’s 401 with the gateway’s error body (raw client)', async () => {
    const { fetch, requests } = recordingFetch({
      alter: (request) => {
        request.headers.delete('authorization');
      },
    });
    const { client: raw } = client({ fetch });
    for (const path of ['/v1/dashboard/billing/subscription', '/v1/dashboard/billing/usage'] as const) {
      const { data, error, response } = await raw.GET(path);
      expect(response.status).toBe(401);
      expect(data).toBeUndefined();
      expect(error).toEqual({ error: { message: invalidToken, type: 'new_api_error' } });
    }
    expect(requests.map((request) => request.headers['authorization'])).toEqual([undefined, undefined]);
  });

  it('with `Prefer: code=401` throws AuthenticationError carrying the spec’s 401 example', async () => {
    const error = await rejectionOf(client().getSubscription(prefer('code=401')));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(401);
    expect(authError.rawBody).toBe(JSON.stringify(getSubscriptionSpec.response(401).example));
    expect(authError.message).toContain(invalidToken);
  });
});

describe('every documented error status', () => {
  const expectedClass: Record<number, typeof ApiCallError> = { 401: AuthenticationError };

  it('is the spec’s list', () => {
    expect(getSubscriptionSpec.errorResponses.map((response) => response.status)).toEqual([401]);
    expect(getUsageSpec.errorResponses.map((response) => response.status)).toEqual([401]);
  });

  const cases: Array<[SpecOperation, (settings: IqqzSettings, status: number) => Promise<unknown>]> = [
    [getSubscriptionSpec, (settings, status) => client(settings).getSubscription(prefer(`code=${status}`))],
    [getUsageSpec, (settings, status) => client(settings).getUsage({}, prefer(`code=${status}`))],
  ];
  for (const [operation, call] of cases) {
    for (const response of operation.errorResponses) {
      it(`${operation.operationId}: maps ${response.status} to ${expectedClass[response.status]?.name}`, async () => {
        const errorClass = expectedClass[response.status];
        expect(errorClass, `no expected class for ${response.status}`).toBeDefined();
        const { fetch, requests } = recordingFetch();
        const error = await rejectionOf(call({ fetch, maxRetries: 0 }, response.status));
        expect(errorClass!.isInstance(error)).toBe(true);
        expect((error as object).constructor).toBe(errorClass);
        const apiError = error as ApiCallError;
        const message = (response.example as { error: { message: string } }).error.message;
        expect(apiError.status).toBe(response.status);
        expect(apiError.body).toEqual(response.example);
        expect(apiError.rawBody).toBe(JSON.stringify(response.example));
        expect(apiError.providerMessage).toBe(message);
        expect(apiError.message).toContain(message);
        expect(requests).toHaveLength(1);
      });
    }
  }
});

const isGatewayErrorBody = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'object';

/**
 * Runs an operation over seeds 1..50 and keeps each raw body: the 200 schemas are `anyOf` the
 * success body and the gateway error body, so Prism generates either.
 */
async function dynamicRun<T>(call: (iqqz: ReturnType<typeof client>, headers: Record<string, string>) => Promise<T>) {
  const bodies = new Map<number, unknown>();
  const { fetch } = recordingFetch({
    respond: async (request) => {
      const response = await globalThis.fetch(request);
      const seed = Number(/seed=(\d+)/.exec(request.headers.get('prefer') ?? '')?.[1]);
      bodies.set(seed, JSON.parse(await response.clone().text()));
      return response;
    },
  });
  const iqqz = client({ fetch, maxRetries: 0 });
  const outcomes = await seededDynamicOutcomes(50, (headers) => call(iqqz, headers));
  return { outcomes, bodies };
}

function expectDynamicContract<T>(
  { outcomes, bodies }: { outcomes: Array<Outcome<T>>; bodies: Map<number, unknown> },
  expectSane: (value: T) => void,
): void {
  expect(outcomes).toHaveLength(50);
  for (const outcome of outcomes) {
    if (outcome.ok) {
      expectSane(outcome.value);
      continue;
    }
    // The only acceptable failure is the documented gateway error body, reported as an API error.
    expect(AiCreditsError.isInstance(outcome.error), describeOutcome(outcome)).toBe(true);
    expect(InvalidResponseError.isInstance(outcome.error), describeOutcome(outcome)).toBe(false);
    expect(ApiCallError.isInstance(outcome.error), describeOutcome(outcome)).toBe(true);
    expect(isGatewayErrorBody(bodies.get(outcome.seed)), describeOutcome(outcome)).toBe(true);
    expect((outcome.error as ApiCallError).status).toBe(200);
  }
  const gatewayErrors = outcomes.filter((outcome) => isGatewayErrorBody(bodies.get(outcome.seed))).length;
  const successes = outcomes.filter((outcome) => outcome.ok).length;
  const firstFailure = outcomes.find((outcome) => !outcome.ok);
  // Every body that is not a gateway error decodes; Prism picks either `anyOf` branch, so roughly
  // half of the bodies are gateway errors (24 successes with these seeds).
  expect(successes, `first failure ${describeOutcome(firstFailure)}`).toBe(50 - gatewayErrors);
  expect(successes).toBeGreaterThanOrEqual(15);
}

describe('dynamic mode (Prism bodies generated from the schema, seeds 1..50)', () => {
  it('getSubscription: nothing but AiCreditsErrors, every non-error body decodes', async () => {
    const run = await dynamicRun((iqqz, headers) => iqqz.getSubscription({ headers }));
    expectDynamicContract(run, (subscription) => {
      expect(typeof subscription.object).toBe('string');
      expect(typeof subscription.has_payment_method).toBe('boolean');
      for (const field of ['soft_limit_usd', 'hard_limit_usd', 'system_hard_limit_usd'] as const) {
        expect(Number.isFinite(subscription[field]), field).toBe(true);
      }
      expect(Number.isInteger(subscription.access_until)).toBe(true);
    });
  });

  it('getUsage: nothing but AiCreditsErrors, every non-error body decodes', async () => {
    const run = await dynamicRun((iqqz, headers) => iqqz.getUsage({}, { headers }));
    expectDynamicContract(run, (usage) => {
      expect(typeof usage.object).toBe('string');
      expect(Number.isFinite(usage.total_usage)).toBe(true);
    });
  });
});

describe('the requests', () => {
  it('getSubscription: GET /v1/dashboard/billing/subscription with a Bearer key and no body', async () => {
    const { fetch, requests } = recordingFetch();
    await client({ fetch }).getSubscription();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.pathAndQuery).toBe('/v1/dashboard/billing/subscription');
    expect(requests[0]?.headers['authorization']).toBe(`Bearer ${apiKey}`);
    expect(requests[0]?.body).toBeNull();
  });

  it('getUsage sends start_date and end_date when given, and no query when not', async () => {
    const { fetch, requests } = recordingFetch();
    const iqqz = client({ fetch });
    await iqqz.getUsage({ startDate: '2025-01-01', endDate: '2025-01-31' });
    await iqqz.getUsage({ startDate: '2025-01-01' });
    await iqqz.getUsage();
    expect(requests.map((request) => request.pathAndQuery)).toEqual([
      '/v1/dashboard/billing/usage?start_date=2025-01-01&end_date=2025-01-31',
      '/v1/dashboard/billing/usage?start_date=2025-01-01',
      '/v1/dashboard/billing/usage',
    ]);
    for (const request of requests) {
      expect(request.method).toBe('GET');
      expect(request.headers['authorization']).toBe(`Bearer ${apiKey}`);
      expect(request.body).toBeNull();
    }
  });
});

describe('getBalance (smoke)', () => {
  it('combines the seed limit and the first usage example', async () => {
    const balance = await client().getBalance();
    expect(balance).toMatchObject({ provider: 'iqqz', limit: 5, used: 2.5, remaining: 2.5, unlimited: false });
  });
});
