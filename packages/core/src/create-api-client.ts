import createClient, { type Client } from 'openapi-fetch';

import { checkApiKey } from './api-key.js';
import { checkProviderSettings } from './check-provider-settings.js';
import { checkCount, checkHeaders, checkTimeout } from './check-settings.js';
import { headersToRedact, readEnvironment, resolveDebugLogger } from './debug-log.js';
import type { Operation } from './operation.js';
import { isTransientStatus, type ProviderDefinition } from './provider-definition.js';
import type { CallOptions, ProviderSettings } from './provider-settings.js';
import { receiveResponse } from './received-response.js';
import { secretForms } from './redact.js';
import { errorForFailedResponse, errorInSuccess } from './response-error.js';
import { defaultRetryPolicy } from './retry-delay.js';
import { clockOf } from './settings-clock.js';
import { dataFromBody, missingFieldsNote, parseSuccessBody } from './success-body.js';
import {
  type Exchange,
  OutgoingRequest,
  type RequestParts,
  sendWithRetries,
  type TransportOptions,
} from './transport.js';

/** A provider's client over its spec's paths, made by {@link createApiClient}. */
export interface ApiClient<Paths extends {}> {
  /** The typed openapi-fetch client: every operation of the spec, with auth, retries and timeouts. */
  client: Client<Paths, `${string}/${string}`>;
  /** Runs one operation and returns its validated data, or throws a typed error. */
  call<Body, Data = Body>(operation: Operation<Body, Data>, options?: CallOptions): Promise<Data>;
  /**
   * Like `call`, and also says what the answer lacked: with `operation.fieldsRead`, required
   * fields outside it may be missing, and `notes` names them (for `BalanceContext.notes`).
   */
  read<Body, Data = Body>(operation: Operation<Body, Data>, options?: CallOptions): Promise<ReadResult<Data>>;
}

/** The data of one operation and what is worth knowing about the answer that carried it. */
export interface ReadResult<Data> {
  data: Data;
  /** JSON paths of required fields the answer lacked that the reader does not use, e.g. `$.has_payment_method`. */
  missingFields: string[];
  /** One note naming the missing fields, or none. */
  notes: string[];
}

/**
 * The HTTP client of a provider package: openapi-fetch typed by the spec's `paths`, with the
 * definition's auth, retries with backoff and `Retry-After`, timeouts, response size limits, debug
 * logging, secret redaction, and `call()`, which maps failures to the typed errors, validates the
 * body with the spec's generated validator and unwraps the data. Settings are checked here, so a
 * bad `timeout` or `baseURL` throws a `SettingsError` before any request.
 *
 * @example
 * ```ts
 * import { createApiClient } from '@aicredits/core/provider-utils';
 * import type { paths } from './generated/openapi.js';
 *
 * const { client, call } = createApiClient<paths>(acmeDefinition, settings);
 * const info = await call({ name: 'getInfo', send: (init) => client.GET('/v1/info', init), validator });
 * ```
 */
export function createApiClient<Paths extends {}>(
  definition: ProviderDefinition,
  settings: ProviderSettings = {},
): ApiClient<Paths> {
  const provider = definition.id;
  const baseUrl = checkProviderSettings(definition, settings);
  const validateResponses = settings.validateResponses ?? true;
  const configuredApiKey = () => settings.apiKey ?? readEnvironment(definition.apiKeyEnvironmentVariable);
  // The key is read at each call (an environment variable may change); what is worked out from it
  // (the forms to redact, its check and auth headers) is kept while it stays the same.
  let keyRead: { key: string | undefined; forms: string[]; headers?: [string, string][] } | undefined;
  const currentKey = () => {
    const key = configuredApiKey();
    if (keyRead?.key !== key || keyRead === undefined) keyRead = { key, forms: secretForms([key]) };
    return keyRead;
  };
  const secrets = () => currentKey().forms;
  /** Sets the auth headers; a missing or unsendable key throws here, before any request. */
  const authenticate = (headers: Headers) => {
    const read = currentKey();
    read.headers ??= Object.entries(
      definition.authenticate(checkApiKey(provider, read.key, definition.apiKeyEnvironmentVariable)),
    );
    for (const [name, value] of read.headers) headers.set(name, value);
  };
  const transport: TransportOptions = {
    provider,
    fetch: settings.fetch as TransportOptions['fetch'],
    timeoutMs: settings.timeout ?? 30_000,
    retry: { ...defaultRetryPolicy, maxRetries: settings.maxRetries ?? defaultRetryPolicy.maxRetries },
    isRetryableStatus: (status) => definition.isRetryableStatus?.(status) ?? isTransientStatus(status),
    maxResponseBytes: settings.maxResponseBytes ?? 4 * 1024 * 1024,
    secrets,
    // Learned once from the provider, so the core needs no list of providers' header names.
    redactedHeaders: headersToRedact(Object.keys(definition.authenticate('key'))),
    log: resolveDebugLogger(settings.debug),
    clock: clockOf(settings),
  };

  const client = createClient<Paths>({
    baseUrl,
    headers: settings.headers,
    // Calls made on the raw client still get retries and timeouts; the operation is named by its path.
    fetch: async (request: Request) => {
      const parts = await partsOf(request);
      authenticate(parts.headers);
      return sendWithRetries(
        parts,
        transport,
        { operation: `${request.method} ${new URL(request.url).pathname}`, attempts: 0, bodyText: '' },
        { signal: request.signal },
      );
    },
  });
  // Auth goes on in our `fetch`, after any middleware, not as a middleware: openapi-fetch skips its
  // middleware steps (an id, a frozen options object, an await) when a client has none. Middleware
  // of the user's sees what openapi-fetch builds: from then on, `call()` lets it build a real
  // `Request` again.
  let userMiddleware = false;
  const use = client.use.bind(client);
  client.use = (...middleware) => {
    userMiddleware = true;
    use(...middleware);
  };

  /** Sends the operation with retries; the final response's body is in the exchange. */
  async function exchange(operation: Operation<unknown, unknown>, options: CallOptions) {
    const record: Exchange = { operation: operation.name, attempts: 0, bodyText: '' };
    const { response } = await operation.send({
      parseAs: 'stream',
      headers: options.headers,
      redirect: 'manual',
      Request: userMiddleware ? globalThis.Request : (OutgoingRequest as unknown as typeof Request),
      fetch: async (request: Request | OutgoingRequest) => {
        const parts = request instanceof OutgoingRequest ? request : await partsOf(request);
        authenticate(parts.headers);
        return sendWithRetries(parts, transport, record, {
          signal: options.signal,
          timeoutMs: options.timeout,
          maxRetries: options.maxRetries,
          deadline: options.deadline,
          keepReadResponse: true,
          // The response goes back through openapi-fetch, where only the user's middleware would see it.
          acceptLightResponse: !userMiddleware,
        });
      },
    });
    return { response, record };
  }

  async function read<Body, Data = Body>(
    operation: Operation<Body, Data>,
    options: CallOptions = {},
  ): Promise<ReadResult<Data>> {
    checkTimeout(provider, 'timeout', options.timeout);
    checkCount(provider, 'maxRetries', options.maxRetries, 0);
    checkHeaders(provider, 'headers', options.headers);
    const { response, record } = await exchange(operation as Operation<unknown, unknown>, options);
    const received = receiveResponse(response, record, {
      provider,
      secrets: secrets(),
      secretFields: operation.secretFields,
      requestIdHeaders: definition.requestIdHeaders,
    });
    if (!response.ok) {
      throw errorForFailedResponse(received, definition, {
        isRetryable: transport.isRetryableStatus(response.status),
        now: transport.clock.now(),
      });
    }
    const body = parseSuccessBody(received, operation.secretFields !== undefined);
    const failure = errorInSuccess(received, body, definition);
    if (failure !== undefined) throw failure;
    const { data, missingFields } = dataFromBody(received, body, operation, validateResponses);
    return { data, missingFields, notes: missingFields.length === 0 ? [] : [missingFieldsNote(missingFields)] };
  }

  const call = async <Body, Data = Body>(operation: Operation<Body, Data>, options?: CallOptions): Promise<Data> =>
    (await read(operation, options)).data;

  return { client, call, read };
}

/** What the transport sends of a real `Request`: its body read once, so that each retry can send it. */
async function partsOf(request: Request): Promise<RequestParts> {
  const { url, method, headers } = request;
  return { url, method, headers, body: request.body === null ? null : await request.arrayBuffer() };
}
