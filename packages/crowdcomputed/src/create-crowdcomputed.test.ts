/**
 * Contract tests against the real Prism mock of specs/crowdcomputed.yaml: the client decodes every
 * example the spec documents, maps every documented error status, and survives random schema-valid
 * bodies.
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
} from '@aicredits/test-server';
import { useMockServer } from '@aicredits/test-server/mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCrowdComputed, type CrowdComputedSettings, type MemberInfo, type MemberInfoEnvelope } from './index.js';
import { seedMemberInfo } from './testing/seed-example.js';

const apiKey = 'cc-contract-key-0001';
const spec = readProviderSpec('crowdcomputed');
const getMemberInfoSpec = spec.operation('getMemberInfo');

const mockURL = useMockServer('crowdcomputed');

function client(settings: CrowdComputedSettings = {}) {
  return createCrowdComputed({ apiKey, baseURL: mockURL(), ...settings });
}

const prefer = (value: string) => ({ headers: { Prefer: value } });

describe('examples', () => {
  it('decodes the seed example (served by default) to the documented values', async () => {
    const info: MemberInfo = await client().getMemberInfo();
    expect(info).toEqual(seedMemberInfo);
  });

  it('serves the seed as the spec’s first example', () => {
    const [first] = getMemberInfoSpec.response(200).namedExamples;
    expect(first?.[0]).toBe('success');
    expect((first?.[1] as MemberInfoEnvelope).data).toEqual(seedMemberInfo);
  });

  it('decodes `unsubscribed`', async () => {
    const info = await client().getMemberInfo(prefer('example=unsubscribed'));
    expect(info).toMatchObject({
      status: 'unsubscribed',
      currentTemporaryPoints: 0,
      currentPermanentPoints: 150,
      totalPoints: 1500,
      usedPoints: 1350,
    });
  });

  it('decodes `professional`', async () => {
    const info = await client().getMemberInfo(prefer('example=professional'));
    expect(info).toMatchObject({
      memberType: 'professional',
      periodType: 'year',
      payType: 'paypal',
      nextPayTime: 1805068800,
      nextPayAmount: 1999,
      currentTemporaryPoints: 33000,
      currentPermanentPoints: 4170,
    });
  });

  it('turns `failed` (a Failed envelope under HTTP 200) into an AuthenticationError', async () => {
    const error = await rejectionOf(client().getMemberInfo(prefer('example=failed')));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(200);
    expect(authError.message).toContain('unauthorized');
    expect(authError.providerMessage).toBe('unauthorized');
    expect(authError.body).toEqual({ code: 'Failed', message: 'unauthorized', data: null });
    expect(authError.isRetryable).toBe(false);
  });

  it('decodes every named Success example of the spec to its `data`', async () => {
    const examples = getMemberInfoSpec.response(200).namedExamples;
    expect(examples.map(([name]) => name)).toEqual(['success', 'unsubscribed', 'professional', 'failed']);
    for (const [name, value] of examples) {
      const envelope = value as MemberInfoEnvelope;
      if (envelope.code !== 'Success') continue;
      await expect(client().getMemberInfo(prefer(`example=${name}`)), name).resolves.toEqual(envelope.data);
    }
  });
});

describe('a missing key', () => {
  it('throws MissingApiKeyError naming CROWDCOMPUTED_API_KEY, before any request', async () => {
    const { fetch, requests } = recordingFetch();
    await withEnvironment({ CROWDCOMPUTED_API_KEY: undefined }, async () => {
      for (const key of [undefined, '', '   ']) {
        const error = await rejectionOf(
          createCrowdComputed({ apiKey: key, baseURL: mockURL(), fetch }).getMemberInfo(),
        );
        expect(MissingApiKeyError.isInstance(error)).toBe(true);
        expect((error as MissingApiKeyError).environmentVariable).toBe('CROWDCOMPUTED_API_KEY');
        expect((error as MissingApiKeyError).message).toContain('CROWDCOMPUTED_API_KEY');
      }
    });
    expect(requests).toHaveLength(0);
  });

  it('reads the key from CROWDCOMPUTED_API_KEY when the setting is absent', async () => {
    const { fetch, requests } = recordingFetch();
    await withEnvironment({ CROWDCOMPUTED_API_KEY: 'cc-from-environment' }, () =>
      createCrowdComputed({ baseURL: mockURL(), fetch }).getMemberInfo(),
    );
    expect(requests[0]?.headers['token']).toBe('cc-from-environment');
  });

  it('without the `token` header gets Prism’s 401 with CrowdComputed’s own failed envelope (raw client)', async () => {
    const { fetch, requests } = recordingFetch({
      alter: (request) => {
        request.headers.delete('token');
      },
    });
    const { data, error, response } = await client({ fetch }).client.GET('/api/v1/member/info');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers).not.toHaveProperty('token');
    expect(response.status).toBe(401);
    expect(response.headers.get('sl-violations')).toContain('security');
    expect(data).toBeUndefined();
    expect(error).toEqual({ code: 'Failed', message: 'unauthorized', data: null });
    expect(error).toEqual(getMemberInfoSpec.response(401).example);
  });

  it('with `Prefer: code=401` throws AuthenticationError carrying the spec’s 401 example', async () => {
    const error = await rejectionOf(client().getMemberInfo(prefer('code=401')));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(401);
    expect(authError.rawBody).toBe(JSON.stringify(getMemberInfoSpec.response(401).example));
    expect(authError.body).toEqual({ code: 'Failed', message: 'unauthorized', data: null });
    expect(authError.message).toContain('unauthorized');
  });
});

describe('every documented error status', () => {
  const expectedClass: Record<number, typeof ApiCallError> = { 401: AuthenticationError };

  it('is the spec’s list (401 only; failures otherwise arrive as Failed envelopes under 200)', () => {
    expect(getMemberInfoSpec.errorResponses.map((response) => response.status)).toEqual([401]);
  });

  for (const response of getMemberInfoSpec.errorResponses) {
    it(`maps ${response.status} to ${expectedClass[response.status]?.name}, keeping status and body`, async () => {
      const errorClass = expectedClass[response.status];
      expect(errorClass, `no expected class for ${response.status}`).toBeDefined();
      const { fetch, requests } = recordingFetch();
      const error = await rejectionOf(
        client({ fetch, maxRetries: 0 }).getMemberInfo(prefer(`code=${response.status}`)),
      );
      expect(errorClass!.isInstance(error)).toBe(true);
      expect((error as object).constructor).toBe(errorClass);
      const apiError = error as ApiCallError;
      expect(apiError.status).toBe(response.status);
      expect(apiError.body).toEqual(response.example);
      expect(apiError.rawBody).toBe(JSON.stringify(response.example));
      expect(apiError.message).toContain((response.example as { message: string }).message);
      expect(apiError.provider).toBe('crowdcomputed');
      expect(apiError.operation).toBe('getMemberInfo');
      expect(requests).toHaveLength(1);
    });
  }
});

function expectSaneMemberInfo(info: MemberInfo): void {
  expect(typeof info).toBe('object');
  expect(info).not.toBeNull();
  const numeric = [
    'nextPayTime',
    'nextPointsResetTime',
    'nextPayAmount',
    'usedPoints',
    'usedTemporaryPoints',
    'usedPermanentPoints',
    'totalPoints',
    'currentTemporaryPoints',
    'currentPermanentPoints',
  ] as const;
  for (const field of numeric) {
    if (info[field] !== undefined) expect(Number.isFinite(info[field]), field).toBe(true);
  }
  for (const field of ['memberType', 'periodType', 'payType', 'status'] as const) {
    if (info[field] !== undefined) expect(typeof info[field], field).toBe('string');
  }
}

describe('dynamic mode (Prism bodies generated from the schema, seeds 1..50)', () => {
  let outcomes: Array<Outcome<MemberInfo>> = [];
  let bodies: Map<number, unknown>;
  beforeAll(async () => {
    bodies = new Map();
    const { fetch } = recordingFetch({
      respond: async (request) => {
        const response = await globalThis.fetch(request);
        const seed = Number(/seed=(\d+)/.exec(request.headers.get('prefer') ?? '')?.[1]);
        bodies.set(seed, JSON.parse(await response.clone().text()));
        return response;
      },
    });
    const cc = client({ fetch, maxRetries: 0 });
    outcomes = await seededDynamicOutcomes(50, (headers) => cc.getMemberInfo({ headers }));
  });

  it('never throws anything but an AiCreditsError, and every success is a sane MemberInfo', () => {
    expect(outcomes).toHaveLength(50);
    for (const outcome of outcomes) {
      if (outcome.ok) expectSaneMemberInfo(outcome.value);
      else expect(AiCreditsError.isInstance(outcome.error), describeOutcome(outcome)).toBe(true);
    }
  });

  it('fails only where the body is a non-Success envelope, as the spec’s `code` allows', () => {
    for (const outcome of outcomes) {
      if (outcome.ok) continue;
      expect(InvalidResponseError.isInstance(outcome.error), describeOutcome(outcome)).toBe(false);
      expect(ApiCallError.isInstance(outcome.error), describeOutcome(outcome)).toBe(true);
      const body = bodies.get(outcome.seed) as MemberInfoEnvelope;
      expect(body.code).not.toBe('Success');
      expect((outcome.error as ApiCallError).status).toBe(200);
      expect((outcome.error as ApiCallError).providerMessage).toBe(
        body.message === '' ? `envelope code ${JSON.stringify(body.code)}` : body.message,
      );
    }
  });

  it('decodes most random bodies successfully: Prism draws the success envelope about half the time', () => {
    const successes = outcomes.filter((outcome) => outcome.ok).length;
    const firstFailure = outcomes.find((outcome) => !outcome.ok);
    expect(successes, `only ${successes}/50 succeeded; first failure ${describeOutcome(firstFailure)}`).toBeGreaterThan(
      15,
    );
  });
});

describe('the request', () => {
  it('is a GET of /api/v1/member/info with the key in a `token` header and no body', async () => {
    const { fetch, requests } = recordingFetch();
    await client({ fetch }).getMemberInfo();
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.pathAndQuery).toBe('/api/v1/member/info');
    expect(request?.url).toBe(`${mockURL()}/api/v1/member/info`);
    expect(request?.headers['token']).toBe(apiKey);
    expect(request?.headers).not.toHaveProperty('authorization');
    expect(request?.body).toBeNull();
  });
});

describe('getBalance (smoke)', () => {
  it('normalizes the seed example', async () => {
    const balance = await client().getBalance();
    expect(balance).toMatchObject({ provider: 'crowdcomputed', unit: 'points', plan: 'hobby', remaining: 0 });
  });
});
