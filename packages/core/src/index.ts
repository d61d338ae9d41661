/**
 * `@aicredits/core`: what users of any aicredits client meet: the error classes to catch, the
 * `Balance` shape, the settings and call options, retries, debug logging and secret redaction.
 *
 * Provider authors build on `@aicredits/core/provider-utils` (the client factory, balance
 * helpers, config fields, `defineProvider`); see "Writing a provider" in the README.
 *
 * @module @aicredits/core
 */
export { AiCreditsError } from './aicredits-error.js';
export {
  ApiCallError,
  type ApiErrorKind,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from './api-call-error.js';
export type { Balance, BalancePart, BalanceStatus } from './balance.js';
export { ConnectionError, TimeoutError } from './connection-error.js';
export { debugEnvironmentVariable, type DebugLogEntry, type DebugLogger } from './debug-log.js';
export { InvalidResponseError } from './invalid-response-error.js';
export type { AccountConfigBase, AccountConfigOf, ProviderModule } from './provider-module.js';
export type { BalanceOptions, CallOptions, ProviderSettings } from './provider-settings.js';
export { redactSecrets } from './redact.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry-delay.js';
export { MissingApiKeyError, SettingsError } from './settings-error.js';
export type { FetchFunction } from './transport.js';
export { UserAbortError } from './user-abort-error.js';
export type { ValidationIssue } from './validation.js';
