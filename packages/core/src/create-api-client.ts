import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { createApiCallError, errorKindForStatus, type ApiErrorKind } from './api-call-error.js';
import { resolveBaseURL } from './base-url.js';
import { headersToRedact, readEnvironment, resolveDebugLogger } from './debug-log.js';
import { InvalidResponseError } from './invalid-response-error.js';
import type { CallOptions, ProviderSettings } from './provider-settings.js';
import { maskSecretFields, redactSecrets } from './redact.js';
import { defaultRetryPolicy, retryAfterMs } from './retry-delay.js';
import { MissingApiKeyError } from './settings-error.js';
import { sendWithRetries, systemClock, type Exchange, type FetchFunction, type TransportOptions } from './transport.js';
import { describeValidationFailure, type Validator } from './validation.js';

/** What a provider failure says, as far as the provider's own body tells. */
export interface ProviderErrorDetails {
  message?: string | undefined;
  /** Overrides the kind the HTTP status implies, e.g. useapi.net's 412 means insufficient credits. */
  kind?: ApiErrorKind | undefined;
}

/** Everything that makes one provider different; lives in the provider's package. */
export interface ProviderDefinition {
  /** Stable id used in errors and logs, e.g. `crowdcomputed`. */
  id: string;
  defaultBaseURL: string;
  /** Environment variable the API key is read from when the `apiKey` setting is absent. */
  apiKeyEnvironmentVariable: string;
  /** Headers that carry the key, e.g. `{ Authorization: \`Bearer ${apiKey}\` }`. */
  authenticate(apiKey: string): Record<string, string>;
  /** Reads the provider's error body (parsed JSON, or `undefined` when it was not JSON). */
  describeError?(body: unknown, status: number): ProviderErrorDetails | undefined;
  /** Recognises a failure that arrives as a successful HTTP response. */
  findErrorInSuccess?(body: unknown): (ProviderErrorDetails & { kind: ApiErrorKind }) | undefined;
  /** Statuses beyond 408, 409, 429 and 5xx that are worth retrying, or 5xx ones that are not. */
  isRetryableStatus?(status: number): boolean | undefined;
  /** Response headers that carry the provider's request id. */
  requestIdHeaders?: readonly string[];
}

/** The arguments openapi-fetch needs so that a call goes through the aicredits transport. */
// A type alias, not an interface: openapi-fetch's options need an implicit index signature.
export type OperationInit = {
  // `stream`: openapi-fetch leaves a success body alone; the transport has read it already.
  parseAs: 'stream';
  fetch: FetchFunction;
  headers?: Record<string, string> | undefined;
};

export interface Operation<Body, Data> {
  /** The spec's `operationId`, used in errors and logs. */
  name: string;
  /** Makes the openapi-fetch call, spreading `init` into its options. */
  send(init: OperationInit): Promise<{ response: Response }>;
  /** The validator generated from the spec for the success body. */
  validator?: Validator | undefined;
  /** Fields of the response that are secrets: masked in every error that keeps the body. */
  secretFields?: readonly string[] | undefined;
  /** Picks the data out of a valid body, or says why the body is unusable. */
  unwrap?(body: Body): { data: Data } | { invalid: string; path?: string };
}

export interface ApiClient<Paths extends {}> {
  /** The typed openapi-fetch client: every operation of the spec, with auth, retries and timeouts. */
  client: Client<Paths, `${string}/${string}`>;
  /** Runs one operation and returns its validated data, or throws a typed error. */
  call<Body, Data = Body>(operation: Operation<Body, Data>, options?: CallOptions): Promise<Data>;
}

const defaultRequestIdHeaders = ['x-request-id', 'request-id', 'x-amzn-requestid', 'cf-ray'];

export function createApiClient<Paths extends {}>(
  definition: ProviderDefinition,
  settings: ProviderSettings = {},
): ApiClient<Paths> {
  const provider = definition.id;
  const baseUrl = resolveBaseURL(
    provider,
    settings.baseURL ?? definition.defaultBaseURL,
    settings.allowInsecureHttp ?? false,
  );
  const validateResponses = settings.validateResponses ?? true;
  const loadApiKey = (): string => {
    const apiKey = settings.apiKey ?? readEnvironment(definition.apiKeyEnvironmentVariable);
    if (apiKey === undefined || apiKey.trim() === '') {
      throw new MissingApiKeyError({ provider, environmentVariable: definition.apiKeyEnvironmentVariable });
    }
    return apiKey;
  };
  const secrets = () => [settings.apiKey ?? readEnvironment(definition.apiKeyEnvironmentVariable)];
  const userFetch = settings.fetch ?? ((request: Request) => globalThis.fetch(request));
  const transport: TransportOptions = {
    provider,
    fetch: (request) => userFetch(request),
    timeoutMs: settings.timeout ?? 30_000,
    retry: { ...defaultRetryPolicy, maxRetries: settings.maxRetries ?? defaultRetryPolicy.maxRetries },
    isRetryableStatus: (status) => definition.isRetryableStatus?.(status) ?? isTransientStatus(status),
    maxResponseBytes: settings.maxResponseBytes ?? 4 * 1024 * 1024,
    secrets,
    // Learned once from the provider, so the core needs no list of providers' header names.
    redactedHeaders: headersToRedact(Object.keys(definition.authenticate('key'))),
    log: resolveDebugLogger(settings.debug),
    clock: { ...systemClock, ...settings._internal?.clock },
  };

  const client = createClient<Paths>({
    baseUrl,
    headers: settings.headers,
    // Calls made on the raw client still get retries and timeouts; the operation is named by its path.
    fetch: (request: Request) =>
      sendWithRetries(request, transport, {
        operation: `${request.method} ${new URL(request.url).pathname}`,
        attempts: 0,
        bodyText: '',
      }),
  });
  const authentication: Middleware = {
    onRequest({ request }) {
      for (const [name, value] of Object.entries(definition.authenticate(loadApiKey()))) {
        request.headers.set(name, value);
      }
      return request;
    },
  };
  client.use(authentication);

  async function call<Body, Data = Body>(
    { name: operation, send, validator, unwrap, secretFields }: Operation<Body, Data>,
    options: CallOptions = {},
  ): Promise<Data> {
    const exchange: Exchange = { operation, attempts: 0, bodyText: '' };
    const { response } = await send({
      parseAs: 'stream',
      headers: options.headers,
      fetch: (request) =>
        sendWithRetries(request, transport, exchange, {
          signal: options.signal,
          timeoutMs: options.timeout,
          maxRetries: options.maxRetries,
          keepReadResponse: true,
        }),
    });
    const unmasked = redactSecrets(exchange.bodyText, secrets());
    // An error body that is not JSON cannot hold the secret fields by name, and is the provider's
    // only explanation (PixVerse's plain-text 404), so only JSON and success bodies are masked.
    const masked =
      secretFields === undefined || (!response.ok && parseJson(unmasked) === undefined)
        ? undefined
        : maskSecretFields(unmasked, secretFields);
    const rawBody = masked?.rawBody ?? unmasked;
    const requestId = readRequestId(response.headers, definition.requestIdHeaders ?? defaultRequestIdHeaders);
    const common = {
      provider,
      operation,
      url: exchange.url ?? (response.url || exchange.operation),
      status: response.status,
      rawBody,
      requestId,
    };

    if (!response.ok) {
      const body = parseJson(rawBody);
      const details = isRedirect(response)
        ? {
            message: `redirected to ${response.headers.get('location')}, another origin: not followed, so that the API key is not sent there; point baseURL at the new address if it is genuine`,
          }
        : definition.describeError?.(body, response.status);
      throw createApiCallError(details?.kind ?? errorKindForStatus(response.status), {
        ...common,
        body,
        providerMessage: details?.message ?? plainTextMessage(rawBody, response) ?? (response.statusText || undefined),
        attempts: exchange.attempts,
        isRetryable: transport.isRetryableStatus(response.status),
        retryAfterMs: retryAfterMs(response.headers, transport.clock.now()),
      });
    }

    const contentType = response.headers.get('content-type') ?? undefined;
    const invalid = (reason: string, extra: { path?: string; body?: unknown; cause?: unknown } = {}) =>
      new InvalidResponseError({ ...common, contentType, reason, ...extra });
    if (rawBody.trim() === '') throw invalid('the body is empty, expected JSON');
    if (contentType !== undefined && !/[/+]json\b/i.test(contentType)) {
      throw invalid(`expected a JSON body but the content type is ${contentType}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(unmasked);
    } catch (error) {
      // The parser quotes the text around the fault, which may be a secret of this response.
      if (secretFields !== undefined) throw invalid('the body is not valid JSON');
      throw invalid(`the body is not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const failure = definition.findErrorInSuccess?.(body);
    if (failure !== undefined) {
      throw createApiCallError(failure.kind, {
        ...common,
        body: masked?.body ?? body,
        providerMessage: failure.message,
        attempts: exchange.attempts,
        isRetryable: false,
      });
    }
    if (validateResponses && validator !== undefined && !validator(body)) {
      const { path, reason } = describeValidationFailure(validator, masked?.body ?? body, {
        quoteValues: secretFields === undefined,
      });
      throw invalid(`the body does not match the ${provider} spec: ${reason}`, { path, body: masked?.body ?? body });
    }
    if (unwrap === undefined) return body as Data;
    const unwrapped = unwrap(body as Body);
    if ('invalid' in unwrapped) throw invalid(unwrapped.invalid, { path: unwrapped.path, body: masked?.body ?? body });
    return unwrapped.data;
  }

  return { client, call };
}

/** Transient by HTTP semantics: request timeout, conflict, rate limit and server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A short plain-text error body is the provider's message; HTML pages and long dumps are not. */
function plainTextMessage(rawBody: string, response: Response): string | undefined {
  const text = rawBody.trim();
  const contentType = response.headers.get('content-type') ?? '';
  if (text === '' || text.length > 300 || /html/i.test(contentType) || text.startsWith('<')) return undefined;
  return parseJson(text) === undefined ? text : undefined;
}

function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400 && response.headers.has('location');
}

function readRequestId(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
