/**
 * `aicredits`: `createAccounts(config).balances()`, the four clients, and the core's error classes,
 * `Balance` shape and settings types.
 *
 * @module aicredits
 */
// The core's user-facing part, chosen one by one: the error classes to catch, the Balance shape,
// the settings and debug types. Its provider-author API (createApiClient, exactAmount,
// maskSecretFields, defineProvider, ...) is @aicredits/core/provider-utils, for provider packages.
export type { AccountConfig, AccountsConfig, ProviderId, SharedSettings } from './account-config.js';
export type { BalanceFailure, BalanceResult, BalanceSuccess } from './balance-result.js';
export { type Accounts, type BalancesOptions, createAccounts } from './create-accounts.js';
// The built-in providers' list, and each provider package's factory, module and types.
export * from './providers.js';
export {
  type AccountConfigBase,
  type AccountConfigOf,
  AiCreditsError,
  ApiCallError,
  type ApiErrorKind,
  AuthenticationError,
  BadRequestError,
  type Balance,
  type BalanceOptions,
  type BalancePart,
  type BalanceStatus,
  type CallOptions,
  ConnectionError,
  debugEnvironmentVariable,
  type DebugLogEntry,
  type DebugLogger,
  defaultRetryPolicy,
  type FetchFunction,
  InsufficientCreditsError,
  InvalidResponseError,
  MissingApiKeyError,
  NotFoundError,
  PermissionDeniedError,
  type ProviderModule,
  type ProviderSettings,
  RateLimitError,
  redactSecrets,
  type RetryPolicy,
  ServerError,
  SettingsError,
  TimeoutError,
  UserAbortError,
} from '@aicredits/core';
