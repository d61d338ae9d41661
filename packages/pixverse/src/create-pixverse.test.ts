/**
 * Contract tests against the real Prism mock of specs/pixverse.yaml (useapi.net): every documented
 * example decodes, every documented error status maps to its typed error, random schema-valid
 * bodies decode, and the account list never lets its secrets out.
 */
import {
  AiCreditsError,
  ApiCallError,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  MissingApiKeyError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from '@aicredits/core';
import {
  describeOutcome,
  readProviderSpec,
  recordingFetch,
  rejectionOf,
  seededDynamicOutcomes,
  withEnvironment,
  type SpecOperation,
} from '@aicredits/test-server';
import { useMockServer } from '@aicredits/test-server/mock';
import { describe, expect, it } from 'vitest';
import { createPixVerse, type Features, type PixVerseAccount, type PixVerseSettings } from './index.js';
import { seedFeatures } from './testing/seed-example.js';

const apiKey = 'useapi-contract-token-0001';
const spec = readProviderSpec('pixverse');
const getFeaturesSpec = spec.operation('getFeatures');
const getAccountsSpec = spec.operation('getAccounts');

const mockURL = useMockServer('pixverse');

function client(settings: PixVerseSettings = {}) {
  return createPixVerse({ apiKey, baseURL: mockURL(), ...settings });
}

const prefer = (value: string) => ({ headers: { Prefer: value } });

describe('getFeatures examples', () => {
  it('decodes the seed example (served by default) to the documented values', async () => {
    const features: Features = await client().getFeatures();
    expect(features).toEqual(seedFeatures);
    expect(getFeaturesSpec.response(200).namedExamples[0]).toEqual(['documented', seedFeatures]);
  });

  it('decodes `free`', async () => {
    const features = await client().getFeatures({ email: 'alice@example.com' }, prefer('example=free'));
    expect(features).toMatchObject({
      plan_name: 'Free',
      credit_daily: 60,
      credit_monthly: 0,
      credit_package: 0,
      price: '0',
    });
    expect(features.expired_date).toBeUndefined();
  });

  it('decodes `lowCredits`', async () => {
    const features = await client().getFeatures({}, prefer('example=lowCredits'));
    expect(features).toMatchObject({
      plan_name: 'Pro Plan',
      credit_daily: 0,
      credit_monthly: 15,
      credit_package: 0,
      expired_date: '2027-03-15T08:30:00Z',
    });
  });

  it('decodes every named example of the spec exactly', async () => {
    const examples = getFeaturesSpec.response(200).namedExamples;
    expect(examples.map(([name]) => name)).toEqual(['documented', 'free', 'lowCredits']);
    for (const [name, value] of examples) {
      await expect(client().getFeatures({}, prefer(`example=${name}`)), name).resolves.toEqual(value);
    }
  });
});

describe('listAccounts', () => {
  const example = getAccountsSpec.response(200).namedExamples.find(([name]) => name === 'twoAccounts')?.[1] as Record<
    string,
    { password: string; jwt: { token: string } }
  >;

  it('decodes `twoAccounts` without the session tokens and passwords', async () => {
    const accounts: PixVerseAccount[] = await client().listAccounts(prefer('example=twoAccounts'));
    expect(accounts).toEqual([
      { email: 'alice@example.com', maxJobs: 8, sessionExpiresAt: new Date('2025-01-01T12:13:14.000Z') },
      { email: 'bob@example.com', maxJobs: 3, sessionExpiresAt: new Date('2025-01-01T12:13:14.000Z') },
    ]);
    expect(accounts[0]?.sessionExpiresAt).toBeInstanceOf(Date);
    const json = JSON.stringify(accounts);
    const secrets = Object.values(example).flatMap((account) => [account.jwt.token, account.password]);
    expect(secrets).toEqual(['abc…secured…cde', '…secured…', 'abc…secured…cde', '…secured…']);
    for (const value of secrets) expect(json).not.toContain(value);
    expect(json).not.toMatch(/token|password|secured/);
  });

  it('is served `twoAccounts` by default', async () => {
    await expect(client().listAccounts()).resolves.toHaveLength(2);
  });

  it('turns a 401 on /v2/pixverse/accounts into an AuthenticationError', async () => {
    const error = await rejectionOf(client().listAccounts(prefer('code=401')));
    expect((error as object).constructor).toBe(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).message).toContain('Unauthorized');
  });

  it('turns the documented plain-text 404 into a NotFoundError', async () => {
    expect(getAccountsSpec.response(404).contentTypes).toEqual(['application/json', 'text/plain']);
    const error = await rejectionOf(client().listAccounts({ headers: { Prefer: 'code=404', Accept: 'text/plain' } }));
    expect((error as object).constructor).toBe(NotFoundError);
    expect((error as NotFoundError).status).toBe(404);
    // The plain-text explanation is the provider's message, not masked: it holds no account secrets.
    expect((error as NotFoundError).message).toContain('Configuration not found');
    expect((error as NotFoundError).rawBody).toContain('Configuration not found');
    expect((error as NotFoundError).body).toBeUndefined();
  });
});

describe('a missing key', () => {
  it('throws MissingApiKeyError naming USEAPI_API_TOKEN, before any request', async () => {
    const { fetch, requests } = recordingFetch();
    await withEnvironment({ USEAPI_API_TOKEN: undefined }, async () => {
      const pixverse = createPixVerse({ baseURL: mockURL(), fetch });
      for (const call of [() => pixverse.getFeatures(), () => pixverse.listAccounts(), () => pixverse.getBalance()]) {
        const error = await rejectionOf(call());
        expect(MissingApiKeyError.isInstance(error)).toBe(true);
        expect((error as MissingApiKeyError).environmentVariable).toBe('USEAPI_API_TOKEN');
        expect((error as MissingApiKeyError).message).toContain('USEAPI_API_TOKEN');
      }
    });
    expect(requests).toHaveLength(0);
  });

  it('without the Authorization header gets Prism’s 401 with useapi.net’s own error body (raw client)', async () => {
    const { fetch, requests } = recordingFetch({
      alter: (request) => {
        request.headers.delete('authorization');
      },
    });
    const { client: raw } = client({ fetch });
    for (const path of ['/v2/pixverse/features/', '/v2/pixverse/accounts'] as const) {
      const { data, error, response } = await raw.GET(path);
      expect(response.status).toBe(401);
      expect(data).toBeUndefined();
      expect(error).toEqual({ error: 'Unauthorized', code: 401 });
    }
    expect(requests.map((request) => request.headers['authorization'])).toEqual([undefined, undefined]);
  });

  it('with `Prefer: code=401` throws AuthenticationError carrying the spec’s 401 example', async () => {
    const error = await rejectionOf(client().getFeatures({}, prefer('code=401')));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(401);
    expect(authError.rawBody).toBe(JSON.stringify(getFeaturesSpec.response(401).example));
    expect(authError.body).toEqual({ error: 'Unauthorized', code: 401 });
    expect(authError.message).toContain('Unauthorized');
  });
});

const expectedClass: Record<number, typeof ApiCallError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PermissionDeniedError,
  404: NotFoundError,
  412: InsufficientCreditsError,
  429: RateLimitError,
  500: ServerError,
  503: ServerError,
  596: AuthenticationError,
};

function describeErrorStatuses(
  operation: SpecOperation,
  call: (settings: PixVerseSettings, status: number) => Promise<unknown>,
) {
  describe(`every documented error status of ${operation.operationId}`, () => {
    for (const response of operation.errorResponses) {
      it(`maps ${response.status} to ${expectedClass[response.status]?.name}, keeping status and body`, async () => {
        const errorClass = expectedClass[response.status];
        expect(errorClass, `no expected class for ${response.status}`).toBeDefined();
        const { fetch, requests } = recordingFetch();
        const error = await rejectionOf(call({ fetch, maxRetries: 0 }, response.status));
        expect(errorClass!.isInstance(error)).toBe(true);
        expect((error as object).constructor).toBe(errorClass);
        const apiError = error as ApiCallError;
        expect(apiError.status).toBe(response.status);
        expect(apiError.body).toEqual(response.example);
        expect(apiError.rawBody).toBe(JSON.stringify(response.example));
        expect(apiError.message).toContain((response.example as { error: string }).error);
        expect(apiError.providerMessage).toBe((response.example as { error: string }).error);
        expect(requests).toHaveLength(1);
        if (response.status === 429) {
          expect(response.headerExamples['retry-after']).toBeDefined();
          expect(apiError.retryAfterMs).toBe(Number(response.headerExamples['retry-after']) * 1000);
        }
      });
    }
  });
}

describeErrorStatuses(getFeaturesSpec, (settings, status) =>
  client(settings).getFeatures({ email: 'alice@example.com' }, prefer(`code=${status}`)),
);
describeErrorStatuses(getAccountsSpec, (settings, status) => client(settings).listAccounts(prefer(`code=${status}`)));

describe('the documented error statuses', () => {
  it('are the spec’s lists', () => {
    expect(getFeaturesSpec.errorResponses.map((response) => response.status)).toEqual([
      400, 401, 402, 404, 412, 429, 500, 503, 596,
    ]);
    expect(getAccountsSpec.errorResponses.map((response) => response.status)).toEqual([401, 404, 429, 500, 503]);
  });

  it('596 (broken PixVerse session) is not retried, even with maxRetries 2', async () => {
    const { fetch, requests } = recordingFetch();
    const error = await rejectionOf(client({ fetch, maxRetries: 2 }).getFeatures({}, prefer('code=596')));
    expect((error as object).constructor).toBe(AuthenticationError);
    expect((error as AuthenticationError).isRetryable).toBe(false);
    expect((error as AuthenticationError).attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });
});

function expectSaneFeatures(features: Features): void {
  expect(typeof features).toBe('object');
  expect(features).not.toBeNull();
  expect(Array.isArray(features)).toBe(false);
  for (const [field, value] of Object.entries(features)) {
    if (/^(credit_|allow_|user_id|member_id|product_id|billing_period|gen_simultaneously)/.test(field)) {
      expect(Number.isFinite(value), field).toBe(true);
    }
    if (/^(plan_name|next_plan_name|price|expired_date|billing_renewal_date)$/.test(field)) {
      expect(typeof value, field).toBe('string');
    }
  }
  if (features.qualities !== undefined) {
    expect(features.qualities.every((quality) => typeof quality === 'string')).toBe(true);
  }
  if (features.is_gift_card !== undefined) expect(typeof features.is_gift_card).toBe('boolean');
}

describe('dynamic mode (Prism bodies generated from the schema, seeds 1..50)', () => {
  it('getFeatures decodes most random bodies, throwing nothing but AiCreditsErrors', async () => {
    const pixverse = client({ maxRetries: 0 });
    const outcomes = await seededDynamicOutcomes(50, (headers) => pixverse.getFeatures({}, { headers }));
    for (const outcome of outcomes) {
      if (outcome.ok) expectSaneFeatures(outcome.value);
      else expect(AiCreditsError.isInstance(outcome.error), describeOutcome(outcome)).toBe(true);
    }
    const successes = outcomes.filter((outcome) => outcome.ok).length;
    const firstFailure = outcomes.find((outcome) => !outcome.ok);
    expect(successes, `only ${successes}/50 succeeded; first failure ${describeOutcome(firstFailure)}`).toBeGreaterThan(
      40,
    );
  });

  it('listAccounts decodes most random bodies, never letting a token or password out', async () => {
    const secretsBySeed = new Map<number, string[]>();
    const { fetch } = recordingFetch({
      respond: async (request) => {
        const response = await globalThis.fetch(request);
        const seed = Number(/seed=(\d+)/.exec(request.headers.get('prefer') ?? '')?.[1]);
        const body = JSON.parse(await response.clone().text()) as Record<
          string,
          { password?: unknown; jwt?: { token?: unknown } }
        >;
        const secrets = Object.values(body)
          .flatMap((account) => [account.password, account.jwt?.token])
          .filter((value): value is string => typeof value === 'string' && value.length >= 8);
        secretsBySeed.set(seed, secrets);
        return response;
      },
    });
    const pixverse = client({ fetch, maxRetries: 0 });
    const outcomes = await seededDynamicOutcomes(50, (headers) => pixverse.listAccounts({ headers }));
    let secretsChecked = 0;
    for (const outcome of outcomes) {
      if (!outcome.ok) {
        expect(AiCreditsError.isInstance(outcome.error), describeOutcome(outcome)).toBe(true);
        continue;
      }
      expect(Array.isArray(outcome.value)).toBe(true);
      for (const account of outcome.value) {
        expect(Object.keys(account).sort()).toEqual(['email', 'maxJobs', 'sessionExpiresAt']);
        expect(typeof account.email).toBe('string');
        if (account.maxJobs !== undefined) expect(Number.isFinite(account.maxJobs)).toBe(true);
        if (account.sessionExpiresAt !== undefined) {
          expect(Number.isNaN(account.sessionExpiresAt.getTime()), `Invalid Date for seed ${outcome.seed}`).toBe(false);
        }
      }
      const json = JSON.stringify(outcome.value);
      for (const secret of secretsBySeed.get(outcome.seed) ?? []) {
        expect(json).not.toContain(secret);
        secretsChecked++;
      }
    }
    expect(secretsChecked).toBeGreaterThan(0);
    const successes = outcomes.filter((outcome) => outcome.ok).length;
    const firstFailure = outcomes.find((outcome) => !outcome.ok);
    expect(successes, `only ${successes}/50 succeeded; first failure ${describeOutcome(firstFailure)}`).toBeGreaterThan(
      40,
    );
  });
});

describe('the request', () => {
  it('getFeatures with an email: GET /v2/pixverse/features/?email=alice%40example.com, Bearer key, no body', async () => {
    const { fetch, requests } = recordingFetch();
    await client({ fetch }).getFeatures({ email: 'alice@example.com' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.pathAndQuery).toBe('/v2/pixverse/features/?email=alice%40example.com');
    expect(request?.headers['authorization']).toBe(`Bearer ${apiKey}`);
    expect(request?.body).toBeNull();
  });

  it('getFeatures without an email keeps the trailing slash and sends no query', async () => {
    const { fetch, requests } = recordingFetch();
    await client({ fetch }).getFeatures();
    expect(requests[0]?.pathAndQuery).toBe('/v2/pixverse/features/');
    expect(requests[0]?.url).toBe(`${mockURL()}/v2/pixverse/features/`);
  });

  it('listAccounts: GET /v2/pixverse/accounts without a trailing slash', async () => {
    const { fetch, requests } = recordingFetch();
    await client({ fetch }).listAccounts();
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.pathAndQuery).toBe('/v2/pixverse/accounts');
    expect(requests[0]?.headers['authorization']).toBe(`Bearer ${apiKey}`);
    expect(requests[0]?.body).toBeNull();
  });
});

describe('getBalance (smoke)', () => {
  it('normalizes the seed example', async () => {
    const balance = await client().getBalance({ email: 'alice@example.com' });
    expect(balance).toMatchObject({
      provider: 'pixverse',
      unit: 'credits',
      plan: 'Pro Plan',
      account: 'alice@example.com',
    });
  });
});
