import { AiCreditsError } from './aicredits-error.js';

/** How a provider classifies a failed call; each kind has its own error class. */
export type ApiErrorKind =
  | 'bad-request'
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'rate-limit'
  | 'insufficient-credits'
  | 'server'
  | 'other';

export interface ApiCallErrorOptions {
  provider: string;
  operation: string;
  /** The provider's own message, when its error body carries one. */
  providerMessage?: string | undefined;
  status: number;
  url: string;
  requestId?: string | undefined;
  /** The parsed JSON error body, or `undefined` when the body was not JSON. */
  body?: unknown;
  /** The response body exactly as received (with any echoed API key redacted). */
  rawBody: string;
  attempts: number;
  isRetryable: boolean;
  /** How long the server asked us to wait before trying again, from `Retry-After` or `retry-after-ms`. */
  retryAfterMs?: number | undefined;
}

/**
 * The provider answered, and the answer is a failure: a 4xx/5xx status, or an error envelope under
 * HTTP 200 (CrowdComputed's `code: "Failed"`, a gateway's `{ error: ... }`).
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (ApiCallError.isInstance(error)) console.error(error.status, error.requestId, error.message);
 * }
 * ```
 */
export class ApiCallError extends AiCreditsError {
  static override readonly errorMarker: string = 'aicredits.error.api-call';
  override name = 'ApiCallError';
  declare readonly provider: string;
  readonly operation: string;
  readonly providerMessage: string | undefined;
  readonly status: number;
  readonly url: string;
  readonly requestId: string | undefined;
  readonly body: unknown;
  readonly rawBody: string;
  readonly attempts: number;
  readonly isRetryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(options: ApiCallErrorOptions) {
    super({ provider: options.provider, message: describe(options) });
    this.operation = options.operation;
    this.providerMessage = options.providerMessage;
    this.status = options.status;
    this.url = options.url;
    this.requestId = options.requestId;
    this.body = options.body;
    this.rawBody = options.rawBody;
    this.attempts = options.attempts;
    this.isRetryable = options.isRetryable;
    this.retryAfterMs = options.retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      operation: this.operation,
      status: this.status,
      url: this.url,
      requestId: this.requestId,
      providerMessage: this.providerMessage,
      body: this.body,
      rawBody: this.rawBody,
      attempts: this.attempts,
      isRetryable: this.isRetryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

function describe(options: ApiCallErrorOptions): string {
  const requestId = options.requestId === undefined ? '' : ` (request id ${options.requestId})`;
  const detail = options.providerMessage ?? 'no error message in the response body';
  return `${options.provider} ${options.operation} failed with HTTP ${options.status}: ${detail}${requestId}`;
}

/**
 * HTTP 400 or 422: the request was malformed, e.g. a bad query parameter.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (BadRequestError.isInstance(error)) console.error('check the parameters:', error.message);
 * }
 * ```
 */
export class BadRequestError extends ApiCallError {
  static override readonly errorMarker: string = 'aicredits.error.bad-request';
  override name = 'BadRequestError';
}

/**
 * The API key was missing, wrong or revoked (HTTP 401, or the provider's equivalent envelope).
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (AuthenticationError.isInstance(error)) console.error('check the API key:', error.message);
 * }
 * ```
 */
export class AuthenticationError extends ApiCallError {
  static override readonly errorMarker: string = 'aicredits.error.authentication';
  override name = 'AuthenticationError';
}

/**
 * The key is valid but may not do this (HTTP 403, or e.g. an expired reseller subscription).
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (PermissionDeniedError.isInstance(error)) console.error('not allowed:', error.message);
 * }
 * ```
 */
export class PermissionDeniedError extends ApiCallError {
  static override readonly errorMarker: string = 'aicredits.error.permission-denied';
  override name = 'PermissionDeniedError';
}

/**
 * HTTP 404: e.g. an account email that is not configured.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (NotFoundError.isInstance(error)) console.error('no such account:', error.message);
 * }
 * ```
 */
export class NotFoundError extends ApiCallError {
  static override readonly errorMarker: string = 'aicredits.error.not-found';
  override name = 'NotFoundError';
}

/**
 * HTTP 429 after all retries; `retryAfterMs` says how long the server asked to wait.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (RateLimitError.isInstance(error)) console.error(`retry in ${error.retryAfterMs ?? '?'} ms`);
 * }
 * ```
 */
export class RateLimitError extends ApiCallError {
  static override readonly errorMarker: string = 'aicredits.error.rate-limit';
  override name = 'RateLimitError';
}

/**
 * The provider says the account has run out of credits.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (InsufficientCreditsError.isInstance(error)) console.error('out of credits:', error.message);
 * }
 * ```
 */
export class InsufficientCreditsError extends ApiCallError {
  static override readonly errorMarker: string = 'aicredits.error.insufficient-credits';
  override name = 'InsufficientCreditsError';
}

/**
 * HTTP 5xx after all retries.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (ServerError.isInstance(error)) console.error('the provider is failing:', error.status);
 * }
 * ```
 */
export class ServerError extends ApiCallError {
  static override readonly errorMarker: string = 'aicredits.error.server';
  override name = 'ServerError';
}

const classes: Record<ApiErrorKind, new (options: ApiCallErrorOptions) => ApiCallError> = {
  'bad-request': BadRequestError,
  authentication: AuthenticationError,
  permission: PermissionDeniedError,
  'not-found': NotFoundError,
  'rate-limit': RateLimitError,
  'insufficient-credits': InsufficientCreditsError,
  server: ServerError,
  other: ApiCallError,
};

/**
 * The error class of `kind` (`AuthenticationError` for `authentication`, …), for a provider whose
 * `readError` or `errorInSuccess` knows better than the HTTP status.
 */
export function createApiCallError(kind: ApiErrorKind, options: ApiCallErrorOptions): ApiCallError {
  return new classes[kind](options);
}

/** The kind an HTTP status means when the provider says nothing more specific. */
export function errorKindForStatus(status: number): ApiErrorKind {
  if (status === 400 || status === 422) return 'bad-request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server';
  return 'other';
}
