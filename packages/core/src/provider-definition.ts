import type { ApiErrorKind } from './api-call-error.js';

/** What a provider failure says, as far as the provider's own body tells. */
export interface ProviderErrorDetails {
  message?: string | undefined;
  /** Overrides the kind the HTTP status implies, e.g. useapi.net's 412 means insufficient credits. */
  kind?: ApiErrorKind | undefined;
}

/** Everything that makes one provider's HTTP API different; lives in the provider's package. */
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

/** Transient by HTTP semantics: request timeout, conflict, rate limit and server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
