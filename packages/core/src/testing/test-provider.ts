/**
 * A made-up provider for the core's own tests: Bearer auth, `{ error: string }` error bodies, and
 * `{ error: { message, type } }` envelopes under HTTP 200. Not part of the build (tsup bundles only
 * `src/index.ts`).
 */
import diagnosticsChannel from 'node:diagnostics_channel';

import {
  expectNoSecret as expectNoSecretIn,
  recordingClock,
  rejectionOf,
  type TestServer,
} from '@aicredits/test-server';

import { type ApiErrorKind, type CallOptions, type ProviderSettings } from '../index.js';
import {
  type ApiClient,
  createApiClient,
  type ProviderDefinition,
  type Validator,
  withClock,
} from '../provider-utils.js';
import type { Clock } from '../transport.js';

export const secret = 'sk-test-SECRET-1234567890';

/**
 * The transport this run tests (vitest.config.ts runs each file once per transport): `node`, the
 * default on Node (no `fetch` setting), or `fetch`, Node's global fetch given as the `fetch`
 * setting, which is the path of every other runtime.
 */
export const transportUnderTest: 'node' | 'fetch' =
  process.env['AICREDITS_TEST_TRANSPORT'] === 'fetch' ? 'fetch' : 'node';

/** The settings that select {@link transportUnderTest}; every client a test makes spreads them first. */
export const transportSettings: ProviderSettings = transportUnderTest === 'fetch' ? { fetch: globalThis.fetch } : {};
export const apiKeyEnvironmentVariable = 'AICREDITS_TESTPROVIDER_API_KEY';

export interface Balance {
  balance: number;
  currency?: string;
}

/** The diagnostics channels of the transport under test: a request started, a response's headers in. */
const channels =
  transportUnderTest === 'node'
    ? { started: 'http.client.request.start', headers: 'http.client.response.finish' }
    : { started: 'undici:request:create', headers: 'undici:request:headers' };

/**
 * Resolves once the transport under test has the status and headers of the next response: the
 * readiness event a test waits for before timing out a body that never ends. Node's and undici's
 * own diagnostics channels, so the client under test is the one users get, with no `fetch` wrapped.
 */
export function nextResponseHeaders(): Promise<void> {
  return new Promise((resolve) => {
    const onHeaders = () => {
      diagnosticsChannel.unsubscribe(channels.headers, onHeaders);
      resolve();
    };
    diagnosticsChannel.subscribe(channels.headers, onHeaders);
  });
}

/** Counts the requests the transport under test starts until `stop()`: proof of which one ran. */
export function countRequestsStarted(): { readonly count: number; stop(): void } {
  let count = 0;
  const onStart = () => count++;
  diagnosticsChannel.subscribe(channels.started, onStart);
  return {
    get count() {
      return count;
    },
    stop: () => diagnosticsChannel.unsubscribe(channels.started, onStart),
  };
}

/** What openapi-typescript would generate for `GET /v1/balance`. */
export interface paths {
  '/v1/balance': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': Balance } };
        default: { headers: { [name: string]: unknown }; content: { 'application/json': { error: string } } };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

export const testProvider: ProviderDefinition = {
  id: 'testprovider',
  defaultBaseURL: 'https://api.testprovider.invalid',
  apiKeyEnvironmentVariable,
  authenticate: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  describeError: (body) => {
    const error = isRecord(body) ? body['error'] : undefined;
    return typeof error === 'string' ? { message: error } : undefined;
  },
  findErrorInSuccess: (body) => {
    const error = isRecord(body) ? body['error'] : undefined;
    if (!isRecord(error)) return undefined;
    const kind: ApiErrorKind = error['type'] === 'invalid_request_error' ? 'authentication' : 'other';
    return { kind, message: typeof error['message'] === 'string' ? error['message'] : undefined };
  },
};

/** Hand-written in the shape of an Ajv standalone validator for `Balance`. */
export const validateBalance: Validator = (data) => {
  const fail = (instancePath: string, keyword: string, params: Record<string, unknown>, message: string) => {
    validateBalance.errors = [{ instancePath, keyword, params, message }];
    return false;
  };
  validateBalance.errors = null;
  if (!isRecord(data)) return fail('', 'type', { type: 'object' }, 'must be object');
  if (!('balance' in data))
    return fail('', 'required', { missingProperty: 'balance' }, "must have required property 'balance'");
  if (typeof data['balance'] !== 'number') return fail('/balance', 'type', { type: 'number' }, 'must be number');
  if ('currency' in data && typeof data['currency'] !== 'string') {
    return fail('/currency', 'type', { type: 'string' }, 'must be string');
  }
  return true;
};

export interface TestClient {
  api: ApiClient<paths>;
  waits: number[];
  getBalance(options?: CallOptions): Promise<Balance>;
}

/**
 * A client of the test provider pointed at `server`, with the API key `secret` and the recording clock
 * (plus `clockOverrides`, e.g. `systemClock` for the real clock); `settings` override the key and URL.
 */
export function createTestClient(
  server: Pick<TestServer, 'url'>,
  settings: ProviderSettings = {},
  clockOverrides: Partial<Clock> = {},
): TestClient {
  const { waits, clock } = recordingClock(clockOverrides);
  const api = createApiClient<paths>(
    testProvider,
    withClock({ apiKey: secret, baseURL: server.url, ...transportSettings, ...settings }, clock),
  );
  return {
    api,
    waits,
    getBalance: (options) =>
      api.call<Balance>(
        { name: 'getBalance', send: (init) => api.client.GET('/v1/balance', init), validator: validateBalance },
        options,
      ),
  };
}

/** Every way an error may end up in a log leaves the test key out. */
export function expectNoSecret(error: unknown, value: string = secret): void {
  expectNoSecretIn(error, value);
}

export { rejectionOf };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
