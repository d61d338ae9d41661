import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { createApiCallError, errorKindForStatus, type ApiErrorKind } from './api-call-error.js';
import { checkApiKey } from './api-key.js';
import { checkProviderSettings } from './check-provider-settings.js';
import { checkCount, checkHeaders, checkTimeout } from './check-settings.js';
import { headersToRedact, readEnvironment, resolveDebugLogger } from './debug-log.js';
import { InvalidResponseError } from './invalid-response-error.js';
import type { CallOptions, ProviderSettings } from './provider-settings.js';
import { redactSecrets, redactedPlaceholder, secretForms } from './redact.js';
import { defaultRetryPolicy, retryAfterMs } from './retry-delay.js';
import { sanitizeJson } from './sanitize-json.js';
import {
  maxRedirects,
  sendWithRetries,
  systemClock,
  type Exchange,
  type FetchFunction,
  type TransportOptions,
} from './transport.js';
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
  const baseUrl = checkProviderSettings(definition, settings);
  const validateResponses = settings.validateResponses ?? true;
  const configuredApiKey = () => settings.apiKey ?? readEnvironment(definition.apiKeyEnvironmentVariable);
  const loadApiKey = (): string => checkApiKey(provider, configuredApiKey(), definition.apiKeyEnvironmentVariable);
  const secrets = () => secretForms([configuredApiKey()]);
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
    checkTimeout(provider, 'timeout', options.timeout);
    checkCount(provider, 'maxRetries', options.maxRetries, 0);
    checkHeaders(provider, 'headers', options.headers);
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
    const keys = secrets();
    const redact = (text: string) => redactSecrets(text, keys);
    const contentType = boundedHeader(response.headers.get('content-type'), redact);
    const parsed = parseJson(exchange.bodyText);
    // Secrets are redacted from the parsed strings too: an escaped echo parses into the plain key.
    const sanitized = parsed.ok ? sanitizeJson(parsed.value, keys) : undefined;
    // What errors keep: the response's own secret fields masked too (validation needs them intact).
    const masked =
      sanitized === undefined || secretFields === undefined
        ? sanitized
        : sanitizeJson(sanitized.value, [], secretFields);
    const unmasked = redact(exchange.bodyText);
    // An error body that is not JSON cannot hold the secret fields by name, and is the provider's
    // only explanation (PixVerse's plain-text 404), so only JSON and success bodies are masked.
    const rawBody =
      secretFields === undefined || (!response.ok && masked === undefined)
        ? unmasked
        : masked === undefined
          ? `${redactedPlaceholder} (unparsable body of a response that holds secrets)`
          : JSON.stringify(masked.value);
    const body = sanitized?.value;
    const maskedBody = masked?.value;
    const requestId = boundedHeader(
      readRequestId(response.headers, definition.requestIdHeaders ?? defaultRequestIdHeaders),
      redact,
    );
    const common = {
      provider,
      operation,
      url: redact(exchange.url ?? (response.url || exchange.operation)),
      status: response.status,
      rawBody,
      requestId,
    };

    if (!response.ok) {
      const details = isRedirect(response)
        ? { message: describeRedirect(response, exchange.url ?? response.url, redact) }
        : definition.describeError?.(maskedBody, response.status);
      const statusText = redact(exchange.statusText ?? response.statusText);
      throw createApiCallError(details?.kind ?? errorKindForStatus(response.status), {
        ...common,
        body: maskedBody,
        providerMessage:
          redactMessage(details?.message, redact) ??
          plainTextMessage(unmasked, contentType) ??
          (statusText || undefined),
        attempts: exchange.attempts,
        isRetryable: transport.isRetryableStatus(response.status),
        retryAfterMs: retryAfterMs(response.headers, transport.clock.now()),
      });
    }

    const invalid = (reason: string, extra: { path?: string; body?: unknown; cause?: unknown } = {}) =>
      new InvalidResponseError({ ...common, contentType, reason, ...extra });
    if (unmasked.trim() === '') throw invalid('the body is empty, expected JSON');
    if (sanitized === undefined) {
      if (isHtml(unmasked, contentType)) {
        throw invalid(
          `expected a JSON body but got an HTML page${contentType === undefined ? '' : ` (content type ${contentType})`}`,
        );
      }
      // The parser quotes the text around the fault, which may be a secret of this response.
      if (secretFields !== undefined) throw invalid('the body is not valid JSON');
      const reparsed = parseJson(unmasked);
      // Parsing the redacted text gives a parser message (and cause) that can only quote redacted text.
      if (reparsed.ok) throw invalid('the body is not valid JSON');
      throw invalid(`the body is not valid JSON (${redact(reparsed.error.message)})`, { cause: reparsed.error });
    }
    if (sanitized.nonFinitePath !== undefined) {
      throw invalid(`${sanitized.nonFinitePath}: a number too large to represent`, {
        path: sanitized.nonFinitePath,
        body,
      });
    }
    const failure = definition.findErrorInSuccess?.(body);
    if (failure !== undefined) {
      throw createApiCallError(failure.kind, {
        ...common,
        body: maskedBody,
        providerMessage: redactMessage(failure.message, redact),
        attempts: exchange.attempts,
        isRetryable: false,
      });
    }
    if (validateResponses && validator !== undefined && !validator(body)) {
      const { path, reason } = describeValidationFailure(validator, maskedBody, {
        quoteValues: secretFields === undefined,
      });
      throw invalid(`the body does not match the ${provider} spec: ${reason}`, { path, body: maskedBody });
    }
    if (unwrap === undefined) return body as Data;
    const unwrapped = unwrap(body as Body);
    if ('invalid' in unwrapped) throw invalid(redact(unwrapped.invalid), { path: unwrapped.path, body: maskedBody });
    return unwrapped.data;
  }

  return { client, call };
}

/** Transient by HTTP semantics: request timeout, conflict, rate limit and server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A short plain-text error body is the provider's message; HTML pages and long dumps are not. */
function plainTextMessage(rawBody: string, contentType: string | undefined): string | undefined {
  const text = rawBody.trim();
  if (text === '' || text.length > 300 || isHtml(text, contentType)) return undefined;
  return parseJson(text).ok ? undefined : text;
}

function isHtml(text: string, contentType: string | undefined): boolean {
  return /html/i.test(contentType ?? '') || text.trimStart().startsWith('<');
}

function redactMessage(message: string | undefined, redact: (text: string) => string): string | undefined {
  return message === undefined ? undefined : redact(message);
}

/** Where a redirect we did not follow points, and why: another origin, a loop, or no usable target. */
function describeRedirect(response: Response, from: string, redact: (text: string) => string): string {
  const location = response.headers.get('location') ?? '';
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return 'redirected to a Location that is not a valid URL';
  }
  const shown = boundedHeader(target.href, redact);
  if (target.origin === new URL(from).origin) {
    return `redirected to ${shown} within the same origin more than ${maxRedirects} times: a redirect loop`;
  }
  return `redirected to ${shown}, another origin: not followed, so that the API key is not sent there; point baseURL at the new address if it is genuine`;
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

/** A response header quoted in an error: redacted, and cut to a length that fits a message. */
function boundedHeader(value: string | null | undefined, redact: (text: string) => string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const redacted = redact(value);
  return redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: Error } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}
