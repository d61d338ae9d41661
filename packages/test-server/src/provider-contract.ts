/**
 * The contract every provider package meets, run against the Prism mock of its own spec: one
 * suite, parameterised by the provider module and the spec, instead of a copy per provider.
 *
 * It reads the spec (not the client) for what to expect: every operation, every documented error
 * status, every 200 example. The provider's test file says only what the spec cannot: how to call
 * each operation, what a success body decodes to, which 200 bodies are error envelopes, and which
 * error class each status becomes.
 *
 * This package cannot depend on `@aicredits/core` (the core's own tests use it), so errors are
 * recognised by their public `name` and the core's global-symbol marker, and the provider module
 * is described structurally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectNoSecret } from './expect-no-secret.js';
import { type ScriptedResponse, startTestServer, type TestServer } from './index.js';
import { type FetchedRequest, recordingFetch } from './recording-fetch.js';
import type { ProviderSpec, SpecOperation, SpecResponse } from './spec-reader.js';
import {
  describeOutcome,
  type RecordingClock,
  recordingClock,
  rejectionOf,
  seededDynamicOutcomes,
  withEnvironment,
} from './test-utilities.js';

/** The key `withClock` of `@aicredits/core/provider-utils` keeps a clock under (a global symbol, as for errors). */
const clockSetting: unique symbol = Symbol.for('aicredits.clock');

/** The client settings the suite hands a provider's factory (structurally `ProviderSettings`). */
export interface ContractSettings {
  apiKey?: string | undefined;
  baseURL: string;
  fetch?: (request: Request) => Promise<Response>;
  maxRetries?: number;
  /** The clock the client runs on: where `withClock` of `@aicredits/core/provider-utils` puts it. */
  [clockSetting]?: RecordingClock['clock'];
}

/** Per-call options (structurally `CallOptions`). */
export interface ContractCallOptions {
  headers?: Record<string, string>;
}

/** One operation of the spec, as the provider's client calls it. */
export interface ContractOperation {
  /** Calls the operation on a client made from `settings`, with no parameters of its own. */
  call(settings: ContractSettings, options: ContractCallOptions): Promise<unknown>;
  /** What the client returns for a success body, e.g. an envelope's `data`. Default: the body. */
  decode?(body: unknown): unknown;
  /** Whether a 200 body is an error envelope (a failure under HTTP 200). Default: never. */
  isErrorEnvelope?(body: unknown): boolean;
  /** The error class (its `name`) each named 200 example that is an error envelope is thrown as. */
  envelopeErrors?: Readonly<Record<string, string>>;
}

/** A provider module, structurally (`ProviderModule` of `@aicredits/core`). */
export interface ContractProvider {
  readonly id: string;
  readonly definition: {
    readonly id: string;
    readonly apiKeyEnvironmentVariable: string;
    authenticate(apiKey: string): Record<string, string>;
  };
  checks(context: {
    account: Record<string, unknown>;
    label: string;
    settings: ContractSettings;
    options: ContractCallOptions;
  }): ContractCheck[] | Promise<ContractCheck[]>;
}

interface ContractCheck {
  label: string;
  fetch(options: ContractCallOptions): Promise<unknown>;
}

export interface ProviderContractOptions {
  provider: ContractProvider;
  /** The provider's spec (`readProviderSpec`), the one the mock serves. */
  spec: ProviderSpec;
  /** The base URL of the running Prism mock of `spec` (`useMockServer`). */
  mockURL: () => string;
  /** Every operation of the spec, by operationId. */
  operations: Readonly<Record<string, ContractOperation>>;
  /** The error class (its `name`) each documented error status is thrown as. */
  errorClasses: Readonly<Record<number, string>>;
  /** What a default account's balance on the mock's default answers matches (`toMatchObject`). */
  seedBalance: Record<string, unknown>;
  /** Random schema-valid bodies per operation (Prism's dynamic mode, fixed seeds). Default 50. */
  dynamicSeeds?: number;
}

/** The core marks every error it throws with this global symbol (`AiCreditsError.errorMarker`). */
const aiCreditsErrorMarker = Symbol.for('aicredits.error');

export function isAiCreditsError(error: unknown): error is Error & Record<string, unknown> {
  return (
    typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[aiCreditsErrorMarker] === true
  );
}

function expectErrorNamed(
  error: unknown,
  name: string,
  context: string,
): asserts error is Error & Record<string, unknown> {
  expect(isAiCreditsError(error), `${context}: not an aicredits error: ${String(error)}`).toBe(true);
  expect((error as Error).name, `${context}: ${String(error)}`).toBe(name);
}

const prefer = (value: string): ContractCallOptions => ({ headers: { Prefer: value } });

/** The examples of a 200 response: the named ones, else the single `example` as `example`. */
function successExamples(operation: SpecOperation): Array<[string, unknown]> {
  const response = operation.response(200);
  if (response.namedExamples.length > 0) return response.namedExamples;
  return response.example === undefined ? [] : [['example', response.example]];
}

/** The same JSON with the key appended to every string in it: a server that echoes the key. */
function echoing(value: unknown, apiKey: string): unknown {
  if (typeof value === 'string') return `${value} ${apiKey}`;
  if (Array.isArray(value)) return value.map((item) => echoing(item, apiKey));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, echoing(item, apiKey)]));
  }
  return value;
}

/**
 * Declares the shared contract tests of one provider (call it at the top level of a test file,
 * after `useMockServer`): a missing key, the spec's 401, every documented error status, error
 * envelopes under HTTP 200, the spec's examples decoding to exact values, random schema-valid
 * bodies, the request on the wire, the balance through the provider module, and no key in any error.
 */
export function describeProviderContract(options: ProviderContractOptions): void {
  const { provider, spec, mockURL, operations, errorClasses, seedBalance, dynamicSeeds = 50 } = options;
  const { definition } = provider;
  const apiKey = `sk-contract-${provider.id}-0123456789abcdef`;
  const entries = spec.operations.map((operation) => [operation, operations[operation.operationId]!] as const);
  const authHeaderNames = Object.keys(definition.authenticate(apiKey)).map((name) => name.toLowerCase());
  const settings = (extra: Partial<ContractSettings> = {}): ContractSettings => ({
    apiKey,
    baseURL: mockURL(),
    ...extra,
  });

  describe(`${provider.id} provider contract`, () => {
    it('covers every operation of the spec, every documented error status and every error envelope', () => {
      expect(provider.id).toBe(definition.id);
      expect(Object.keys(operations).sort()).toEqual(spec.operations.map((operation) => operation.operationId).sort());
      const statuses = [
        ...new Set(spec.operations.flatMap((operation) => operation.errorResponses.map((r) => r.status))),
      ];
      expect(
        Object.keys(errorClasses)
          .map(Number)
          .sort((a, b) => a - b),
      ).toEqual(statuses.sort((a, b) => a - b));
      for (const [operation, contract] of entries) {
        const examples = successExamples(operation);
        expect(examples.length, `${operation.operationId} has no 200 example`).toBeGreaterThan(0);
        const envelopes = examples
          .filter(([, body]) => contract.isErrorEnvelope?.(body) === true)
          .map(([name]) => name);
        expect(Object.keys(contract.envelopeErrors ?? {}).sort(), operation.operationId).toEqual(envelopes.sort());
        if (operation.authenticated) {
          expect(
            operation.errorResponses.map((r) => r.status),
            `${operation.operationId} declares no 401`,
          ).toContain(401);
        }
      }
    });

    describe('the spec’s examples', () => {
      for (const [operation, contract] of entries) {
        const decode = contract.decode ?? ((body: unknown) => body);
        const examples = successExamples(operation);
        const [first] = examples;

        it(`${operation.operationId}: the default answer (the first example) decodes exactly`, async () => {
          if (contract.isErrorEnvelope?.(first?.[1]) === true)
            throw new Error('the first example is an error envelope');
          await expect(contract.call(settings(), {})).resolves.toEqual(decode(first?.[1]));
        });

        for (const [name, body] of examples) {
          const envelopeError = contract.envelopeErrors?.[name];
          // oxlint-disable-next-line vitest/no-conditional-tests -- one test per example; the example decides which kind
          if (envelopeError === undefined) {
            it(`${operation.operationId}: \`${name}\` decodes exactly`, async () => {
              await expect(contract.call(settings(), prefer(`example=${name}`))).resolves.toEqual(decode(body));
            });
            continue;
          }
          it(`${operation.operationId}: \`${name}\` (an error envelope under HTTP 200) is a ${envelopeError}, not retried`, async () => {
            const { fetch, requests } = recordingFetch();
            const { clock } = recordingClock();
            const error = await rejectionOf(
              contract.call(settings({ fetch, maxRetries: 2, [clockSetting]: clock }), prefer(`example=${name}`)),
            );
            expectErrorNamed(error, envelopeError, name);
            expect(error['status']).toBe(200);
            expect(error['body']).toEqual(body);
            expect(error['rawBody']).toBe(JSON.stringify(body));
            expect(error['isRetryable']).toBe(false);
            expectProviderMessage(error);
            expect(requests).toHaveLength(1);
            expectNoSecret(error, apiKey);
          });
        }
      }
    });

    describe('a missing key', () => {
      for (const [operation, contract] of entries.filter(([operation]) => operation.authenticated)) {
        it(`${operation.operationId}: MissingApiKeyError naming ${definition.apiKeyEnvironmentVariable}, before any request`, async () => {
          const { fetch, requests } = recordingFetch();
          await withEnvironment({ [definition.apiKeyEnvironmentVariable]: undefined }, async () => {
            for (const missing of [undefined, '', '   ']) {
              const error = await rejectionOf(contract.call({ apiKey: missing, baseURL: mockURL(), fetch }, {}));
              expectErrorNamed(error, 'MissingApiKeyError', `apiKey ${JSON.stringify(missing)}`);
              expect(error['environmentVariable']).toBe(definition.apiKeyEnvironmentVariable);
              expect(error.message).toContain(definition.apiKeyEnvironmentVariable);
            }
          });
          expect(requests).toHaveLength(0);
        });
      }

      it(`the provider module's checks: MissingApiKeyError before any request`, async () => {
        const { fetch, requests } = recordingFetch();
        await withEnvironment({ [definition.apiKeyEnvironmentVariable]: undefined }, async () => {
          const error = await rejectionOf(
            (async () => {
              const checks = await provider.checks({
                account: {},
                label: 'default',
                settings: { baseURL: mockURL(), fetch },
                options: {},
              });
              for (const check of checks) await check.fetch({});
            })(),
          );
          expectErrorNamed(error, 'MissingApiKeyError', 'checks');
          expect(error['environmentVariable']).toBe(definition.apiKeyEnvironmentVariable);
        });
        expect(requests).toHaveLength(0);
      });

      it(`the key comes from ${definition.apiKeyEnvironmentVariable} when the setting is absent`, async () => {
        const fromEnvironment = `${provider.id}-key-from-environment`;
        const { fetch, requests } = recordingFetch();
        const [operation, contract] = entries.find(([candidate]) => candidate.authenticated)!;
        await withEnvironment({ [definition.apiKeyEnvironmentVariable]: fromEnvironment }, () =>
          contract.call({ baseURL: mockURL(), fetch }, {}),
        );
        expect(requests, operation.operationId).toHaveLength(1);
        expectAuthenticated(requests[0]!, definition.authenticate(fromEnvironment));
      });
    });

    describe('the spec’s 401', () => {
      for (const [operation, contract] of entries.filter(([operation]) => operation.authenticated)) {
        it(`${operation.operationId}: a request without ${authHeaderNames.join(', ')} gets Prism's 401, an AuthenticationError with the spec's body`, async () => {
          const { fetch, requests } = recordingFetch({
            alter: (request) => {
              for (const name of authHeaderNames) request.headers.delete(name);
            },
          });
          const error = await rejectionOf(contract.call(settings({ fetch, maxRetries: 0 }), {}));
          for (const name of authHeaderNames) expect(requests[0]?.headers).not.toHaveProperty(name);
          expectErrorNamed(error, 'AuthenticationError', operation.operationId);
          expect(error['status']).toBe(401);
          expect(error['body']).toEqual(operation.response(401).example);
          expectNoSecret(error, apiKey);
        });
      }
    });

    describe('every documented error status', () => {
      for (const [operation, contract] of entries) {
        for (const response of operation.errorResponses) {
          const errorClass = errorClasses[response.status]!;
          it(`${operation.operationId}: ${response.status} is a ${errorClass} keeping status and body, retried only if retryable`, async () => {
            const { fetch, requests } = recordingFetch();
            const { clock, waits } = recordingClock();
            const error = await rejectionOf(
              contract.call(
                settings({ fetch, maxRetries: 1, [clockSetting]: clock }),
                prefer(`code=${response.status}`),
              ),
            );
            expectErrorNamed(error, errorClass, String(response.status));
            expect(error['provider']).toBe(provider.id);
            expect(error['operation']).toBe(operation.operationId);
            expect(error['status']).toBe(response.status);
            expect(error['body']).toEqual(response.example);
            expect(error['rawBody']).toBe(rawExample(response));
            expectProviderMessage(error);
            // maxRetries 1: a retryable failure is asked twice (the wait recorded, not slept), any other once.
            expect(error['attempts']).toBe(error['isRetryable'] === true ? 2 : 1);
            expect(requests).toHaveLength(error['attempts'] as number);
            expect(waits).toHaveLength(requests.length - 1);
            const retryAfter = response.headerExamples['retry-after'];
            if (retryAfter !== undefined) expect(error['retryAfterMs']).toBe(Number(retryAfter) * 1000);
            expectNoSecret(error, apiKey);
          });
        }
      }
    });

    describe(`random schema-valid bodies (Prism's dynamic mode, seeds 1..${dynamicSeeds})`, () => {
      for (const [operation, contract] of entries) {
        it(`${operation.operationId}: every body decodes exactly, or is an error envelope thrown as an API error`, async () => {
          const bodies = new Map<number, unknown>();
          const { fetch } = recordingFetch({
            respond: async (request) => {
              const answer = await globalThis.fetch(request);
              const seed = Number(/seed=(\d+)/.exec(request.headers.get('prefer') ?? '')?.[1]);
              bodies.set(seed, JSON.parse(await answer.clone().text()));
              return answer;
            },
          });
          const outcomes = await seededDynamicOutcomes(dynamicSeeds, (headers) =>
            contract.call(settings({ fetch, maxRetries: 0 }), { headers }),
          );
          const decode = contract.decode ?? ((body: unknown) => body);
          const envelopes = outcomes.filter((outcome) => contract.isErrorEnvelope?.(bodies.get(outcome.seed)) === true);
          // Both branches ran: some bodies decoded, and, where the schema allows envelopes, some were.
          expect(outcomes.length - envelopes.length).toBeGreaterThan(0);
          if (contract.isErrorEnvelope !== undefined) expect(envelopes.length).toBeGreaterThan(0);
          for (const outcome of outcomes) {
            const body = bodies.get(outcome.seed);
            if (contract.isErrorEnvelope?.(body) === true) {
              expect(outcome.ok, describeOutcome(outcome)).toBe(false);
              if (outcome.ok) continue;
              expect(isAiCreditsError(outcome.error), describeOutcome(outcome)).toBe(true);
              expect((outcome.error as Record<string, unknown>)['status'], describeOutcome(outcome)).toBe(200);
              expect((outcome.error as Error).name, describeOutcome(outcome)).not.toBe('InvalidResponseError');
            } else {
              expect(outcome.ok, describeOutcome(outcome)).toBe(true);
              if (outcome.ok) expect(outcome.value, `seed ${outcome.seed}`).toEqual(decode(body));
            }
          }
        });
      }
    });

    describe('the request', () => {
      for (const [operation, contract] of entries) {
        it(`${operation.operationId}: ${operation.method} ${operation.path}, the key in its auth headers only, no body`, async () => {
          const { fetch, requests } = recordingFetch();
          await contract.call(settings({ fetch }), {});
          expect(requests).toHaveLength(1);
          const [request] = requests as [FetchedRequest];
          expect(request.method).toBe(operation.method);
          expect(request.url).toBe(`${mockURL()}${operation.path}`);
          expect(request.body).toBeNull();
          expect(request.headers).not.toHaveProperty('content-type');
          expect(request.headers).not.toHaveProperty('content-length');
          if (operation.authenticated) expectAuthenticated(request, definition.authenticate(apiKey));
          for (const [name, value] of Object.entries(request.headers)) {
            if (!authHeaderNames.includes(name)) expect(value, name).not.toContain(apiKey);
          }
        });
      }
    });

    describe('the provider module', () => {
      it('turns a default account into checks whose balance matches the seed', async () => {
        const checks = await provider.checks({ account: {}, label: 'main', settings: settings(), options: {} });
        expect(checks.map((check) => check.label)).toEqual(['main']);
        const balance = await checks[0]!.fetch({});
        expect(balance).toMatchObject({ provider: provider.id, account: 'main', ...seedBalance });
      });
    });

    describe('no key in any error, whatever the server echoes', () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startTestServer();
      });
      afterAll(async () => {
        await server?.close();
      });

      for (const [operation, contract] of entries) {
        const cases: Array<[string, ScriptedResponse]> = [
          ...operation.errorResponses.map((response): [string, ScriptedResponse] => [
            `the ${response.status} example`,
            response.example === undefined
              ? {
                  status: response.status,
                  headers: { 'content-type': 'text/plain' },
                  body: `${response.textExample} ${apiKey}`,
                }
              : { status: response.status, body: echoing(response.example, apiKey) as object },
          ]),
          ...successExamples(operation)
            .filter(([, body]) => contract.isErrorEnvelope?.(body) === true)
            .map(([name, body]): [string, ScriptedResponse] => [
              `the \`${name}\` envelope`,
              { body: echoing(body, apiKey) as object },
            ]),
          ['a 200 text page', { headers: { 'content-type': 'text/html' }, body: `<h1>bad key ${apiKey}</h1>` }],
        ];
        it(`${operation.operationId}: ${cases.map(([what]) => what).join(', ')}, each echoing the key`, async () => {
          for (const [what, answer] of cases) {
            server.respondWith(answer);
            const error = await rejectionOf(contract.call({ apiKey, baseURL: server.url, maxRetries: 0 }, {}));
            expect(isAiCreditsError(error), `${what}: ${String(error)}`).toBe(true);
            expectNoSecret(error, apiKey);
            // The provider's own message survives, with the key replaced where it stood.
            if (what !== 'a 200 text page')
              expect(String((error as Record<string, unknown>)['providerMessage']), what).toContain('[REDACTED]');
          }
        });
      }
    });
  });
}

/** The body Prism sends for a documented error: its JSON example, else its text example. */
function rawExample(response: SpecResponse): string | undefined {
  return response.example === undefined ? response.textExample : JSON.stringify(response.example);
}

/** The provider's own message, read from the body (every spec example has one), is in the error's message. */
function expectProviderMessage(error: Record<string, unknown>): void {
  const providerMessage = error['providerMessage'];
  expect(typeof providerMessage, 'providerMessage').toBe('string');
  expect((providerMessage as string).length).toBeGreaterThan(0);
  expect(String(error['rawBody'])).toContain(providerMessage);
  expect(String(error['message'])).toContain(providerMessage);
}

function expectAuthenticated(request: FetchedRequest, expected: Record<string, string>): void {
  for (const [name, value] of Object.entries(expected)) expect(request.headers[name.toLowerCase()], name).toBe(value);
}
