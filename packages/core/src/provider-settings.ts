import type { DebugLogger } from './debug-log.js';
import type { Clock, FetchFunction } from './transport.js';

/** Settings every `create<Provider>()` factory accepts. */
export interface ProviderSettings {
  /** The provider's API key. Defaults to the provider's environment variable (see its README). */
  apiKey?: string | undefined;
  /** Base URL of the API, e.g. a mock server or a compatible gateway. Defaults to the provider's own. */
  baseURL?: string | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /** A `fetch` implementation, e.g. for tests, proxies or instrumentation. Defaults to `globalThis.fetch`. */
  fetch?: FetchFunction | typeof globalThis.fetch | undefined;
  /** Per-attempt timeout in milliseconds, covering the whole response body. Default 30 000. */
  timeout?: number | undefined;
  /** Retries after the first attempt for transient failures. Default 2; 0 disables retrying. */
  maxRetries?: number | undefined;
  /** Check every successful response against the provider's spec. Default `true`. */
  validateResponses?: boolean | undefined;
  /** `true` logs each attempt to stderr, a function receives the entries. Defaults to `AICREDITS_DEBUG`. */
  debug?: boolean | DebugLogger | undefined;
  /** Allow a plain `http://` `baseURL` to a host other than loopback. Default `false`: the key would travel in clear text. */
  allowInsecureHttp?: boolean | undefined;
  /** Responses larger than this are refused. Default 4 MiB; account endpoints answer a few hundred bytes. */
  maxResponseBytes?: number | undefined;
  /** Test seams: the clock behind timeouts' retry waits and jitter. */
  _internal?: { clock?: Partial<Clock> } | undefined;
}

/** Options of a single call, overriding the client's settings. */
export interface CallOptions {
  /** Aborts the call; an aborted call throws `UserAbortError` and is never retried. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds for this call. */
  timeout?: number | undefined;
  /** Retries for this call. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

/** Options of a provider's `getBalance`. */
export interface BalanceOptions extends CallOptions {
  /** The label the balance carries; default `default`. */
  account?: string | undefined;
}
