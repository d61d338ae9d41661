/**
 * Contract tests against the real Prism mock of specs/imaginepro.yaml: every documented example
 * decodes, every documented error status maps to its typed error, random schema-valid bodies
 * decode, and the GET carries no body (the documentation's curl sends `{}`).
 */
import { AiCreditsError, ApiCallError, AuthenticationError, MissingApiKeyError, ServerError } from '@aicredits/core';
import {
  describeOutcome,
  readProviderSpec,
  recordingFetch,
  rejectionOf,
  seededDynamicOutcomes,
  withEnvironment,
} from '@aicredits/test-server';
import { useMockServer } from '@aicredits/test-server/mock';
import { describe, expect, it } from 'vitest';
import { createImaginePro, type AccountInfo, type ImagineProSettings } from './index.js';
import { seedAccountInfo } from './testing/seed-example.js';

const apiKey = 'imaginepro-contract-key-0001';
const spec = readProviderSpec('imaginepro');
const getAccountInfoSpec = spec.operation('getAccountInfo');

const mockURL = useMockServer('imaginepro');

function client(settings: ImagineProSettings = {}) {
  return createImaginePro({ apiKey, baseURL: mockURL(), ...settings });
}

const prefer = (value: string) => ({ headers: { Prefer: value } });

describe('examples', () => {
  it('decodes the seed example (served by default) to the documented values', async () => {
    const info: AccountInfo = await client().getAccountInfo();
    expect(info).toEqual(seedAccountInfo);
    expect(getAccountInfoSpec.response(200).namedExamples[0]).toEqual(['documented', seedAccountInfo]);
  });

  it('decodes `noExtra`', async () => {
    const info = await client().getAccountInfo(prefer('example=noExtra'));
    expect(info).toMatchObject({ credits: 1240, creditsExtra: 0, creditsQuota: 1600, email: 'alice@example.com' });
  });

  it('decodes `expired`', async () => {
    const info = await client().getAccountInfo(prefer('example=expired'));
    expect(info).toMatchObject({
      credits: 0,
      creditsExtra: 0,
      expiredAt: '2025-06-30T00:00:00.000Z',
      email: 'bob@example.com',
    });
  });

  it('decodes every named example of the spec exactly', async () => {
    const examples = getAccountInfoSpec.response(200).namedExamples;
    expect(examples.map(([name]) => name)).toEqual(['documented', 'noExtra', 'expired']);
    for (const [name, value] of examples) {
      await expect(client().getAccountInfo(prefer(`example=${name}`)), name).resolves.toEqual(value);
    }
  });
});

describe('a missing key', () => {
  it('throws MissingApiKeyError naming IMAGINEPRO_API_KEY, before any request', async () => {
    const { fetch, requests } = recordingFetch();
    await withEnvironment({ IMAGINEPRO_API_KEY: undefined }, async () => {
      for (const key of [undefined, '']) {
        const error = await rejectionOf(createImaginePro({ apiKey: key, baseURL: mockURL(), fetch }).getAccountInfo());
        expect(MissingApiKeyError.isInstance(error)).toBe(true);
        expect((error as MissingApiKeyError).environmentVariable).toBe('IMAGINEPRO_API_KEY');
        expect((error as MissingApiKeyError).message).toContain('IMAGINEPRO_API_KEY');
      }
    });
    expect(requests).toHaveLength(0);
  });

  it('without the Authorization header gets Prism’s 401 with ImaginePro’s NestJS body (raw client)', async () => {
    const { fetch, requests } = recordingFetch({
      alter: (request) => {
        request.headers.delete('authorization');
      },
    });
    const { data, error, response } = await client({ fetch }).client.GET('/api/v1/subscription/account-info');
    expect(requests[0]?.headers).not.toHaveProperty('authorization');
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toEqual({ message: 'Unauthorized', statusCode: 401 });
  });

  it('with `Prefer: code=401` throws AuthenticationError carrying the spec’s 401 example', async () => {
    const error = await rejectionOf(client().getAccountInfo(prefer('code=401')));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(401);
    expect(authError.rawBody).toBe(JSON.stringify(getAccountInfoSpec.response(401).example));
    expect(authError.body).toEqual({ message: 'Unauthorized', statusCode: 401 });
    expect(authError.message).toContain('Unauthorized');
  });
});

describe('every documented error status', () => {
  const expectedClass: Record<number, typeof ApiCallError> = { 401: AuthenticationError, 500: ServerError };

  it('is the spec’s list', () => {
    expect(getAccountInfoSpec.errorResponses.map((response) => response.status)).toEqual([401, 500]);
  });

  for (const response of getAccountInfoSpec.errorResponses) {
    it(`maps ${response.status} to ${expectedClass[response.status]?.name}, keeping status and body`, async () => {
      const errorClass = expectedClass[response.status];
      expect(errorClass, `no expected class for ${response.status}`).toBeDefined();
      const { fetch, requests } = recordingFetch();
      const error = await rejectionOf(
        client({ fetch, maxRetries: 0 }).getAccountInfo(prefer(`code=${response.status}`)),
      );
      expect(errorClass!.isInstance(error)).toBe(true);
      expect((error as object).constructor).toBe(errorClass);
      const apiError = error as ApiCallError;
      expect(apiError.status).toBe(response.status);
      expect(apiError.body).toEqual(response.example);
      expect(apiError.rawBody).toBe(JSON.stringify(response.example));
      expect(apiError.providerMessage).toBe((response.example as { message: string }).message);
      expect(apiError.message).toContain((response.example as { message: string }).message);
      expect(requests).toHaveLength(1);
    });
  }
});

function expectSaneAccountInfo(info: AccountInfo): void {
  expect(typeof info.type).toBe('string');
  expect(typeof info.email).toBe('string');
  expect(typeof info.expiredAt).toBe('string');
  for (const field of ['creditsQuota', 'credits', 'creditsExtra'] as const) {
    expect(Number.isInteger(info[field]), field).toBe(true);
  }
}

describe('dynamic mode (Prism bodies generated from the schema, seeds 1..50)', () => {
  it('decodes most random bodies, throwing nothing but AiCreditsErrors', async () => {
    const imaginepro = client({ maxRetries: 0 });
    const outcomes = await seededDynamicOutcomes(50, (headers) => imaginepro.getAccountInfo({ headers }));
    for (const outcome of outcomes) {
      if (outcome.ok) expectSaneAccountInfo(outcome.value);
      else expect(AiCreditsError.isInstance(outcome.error), describeOutcome(outcome)).toBe(true);
    }
    const successes = outcomes.filter((outcome) => outcome.ok).length;
    const firstFailure = outcomes.find((outcome) => !outcome.ok);
    expect(successes, `only ${successes}/50 succeeded; first failure ${describeOutcome(firstFailure)}`).toBeGreaterThan(
      40,
    );
  });
});

describe('the request', () => {
  it('is a GET of /api/v1/subscription/account-info with a Bearer key and no body at all', async () => {
    const { fetch, requests } = recordingFetch();
    await client({ fetch }).getAccountInfo();
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.pathAndQuery).toBe('/api/v1/subscription/account-info');
    expect(request?.headers['authorization']).toBe(`Bearer ${apiKey}`);
    expect(request?.body).toBeNull();
    expect(request?.headers).not.toHaveProperty('content-length');
    expect(request?.headers).not.toHaveProperty('content-type');
  });
});

describe('getBalance (smoke)', () => {
  it('normalizes the seed example', async () => {
    const balance = await client().getBalance();
    expect(balance).toMatchObject({ provider: 'imaginepro', unit: 'credits', plan: 'STARTER', remaining: 2600 });
  });
});
