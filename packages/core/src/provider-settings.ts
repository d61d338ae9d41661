import type { DebugLogger } from './debug-log.js';
import type { FetchFunction } from './transport.js';

/** Settings every `create<Provider>()` factory accepts. */
export interface ProviderSettings {
  /**
   * The provider's API key.
   * @default the provider's environment variable (see its README), read at each call
   */
  apiKey?: string | undefined;
  /**
   * Base URL of the API, e.g. a mock server or a compatible gateway.
   * @default the provider's own API
   */
  baseURL?: string | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /**
   * A `fetch` implementation, e.g. for tests, proxies or instrumentation. Given, every request
   * goes through it (`fetch: globalThis.fetch` for Node's own `fetch`).
   * @default on Node, a keep-alive `node:http`/`node:https` transport; elsewhere `globalThis.fetch`
   */
  fetch?: FetchFunction | typeof globalThis.fetch | undefined;
  /**
   * Per-attempt timeout in milliseconds, covering the whole response body.
   * @default 30000
   */
  timeout?: number | undefined;
  /**
   * Retries after the first attempt for transient failures; 0 disables retrying.
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * Check every successful response against the provider's spec.
   * @default true
   */
  validateResponses?: boolean | undefined;
  /**
   * `true` logs each attempt to stderr, a function receives the entries.
   * @default whether the `AICREDITS_DEBUG` environment variable is set
   */
  debug?: boolean | DebugLogger | undefined;
  /**
   * Allow a plain `http://` `baseURL` to a host other than loopback: the key would travel in clear text.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * Responses larger than this (in bytes) are refused; account endpoints answer a few hundred bytes.
   * @default 4194304 (4 MiB)
   */
  maxResponseBytes?: number | undefined;
}

/** Options of a single call, overriding the client's settings. */
export interface CallOptions {
  /** Aborts the call; an aborted call throws `UserAbortError` and is never retried. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds for this call. */
  timeout?: number | undefined;
  /** Retries for this call. */
  maxRetries?: number | undefined;
  /**
   * When the call must be done, in milliseconds since the epoch (on the client's clock). A retry
   * whose wait would end later is not made: the call fails at once with what the server said (a
   * `RateLimitError` with `retryAfterMs`) instead of sleeping into a timeout. Set by the facade
   * from the account's time budget.
   */
  deadline?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

/** Options of a provider's `getBalance`. */
export interface BalanceOptions extends CallOptions {
  /**
   * The label the balance carries.
   * @default 'default'
   */
  account?: string | undefined;
}
