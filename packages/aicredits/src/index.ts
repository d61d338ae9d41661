/**
 * `aicredits`: `createAccounts(config).balances()`, the four clients, and the core's error classes,
 * `Balance` shape and settings types.
 *
 * @module aicredits
 */
// The core's user-facing part, chosen one by one: the error classes to catch, the Balance shape,
// the settings and debug types. Its provider-author API (createApiClient, exactAmount,
// maskSecretFields, checkProviderSettings, ...) stays in @aicredits/core, for provider packages.
export {
  AiCreditsError,
  ApiCallError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InsufficientCreditsError,
  InvalidResponseError,
  MissingApiKeyError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  SettingsError,
  TimeoutError,
  UserAbortError,
  debugEnvironmentVariable,
  defaultRetryPolicy,
  redactSecrets,
  type AccountConfigBase,
  type AccountConfigOf,
  type ApiErrorKind,
  type Balance,
  type BalanceOptions,
  type BalancePart,
  type BalanceStatus,
  type CallOptions,
  type Clock,
  type DebugLogEntry,
  type DebugLogger,
  type FetchFunction,
  type ProviderModule,
  type ProviderSettings,
  type RetryPolicy,
} from '@aicredits/core';
export {
  createCrowdComputed,
  memberInfoToBalance,
  crowdComputedProvider,
  type CrowdComputed,
  type CrowdComputedAccountConfig,
  type CrowdComputedSettings,
  type MemberInfo,
} from '@aicredits/crowdcomputed';
export {
  createImaginePro,
  accountInfoToBalance,
  imagineProProvider,
  type AccountInfo,
  type ImaginePro,
  type ImagineProAccountConfig,
  type ImagineProSettings,
} from '@aicredits/imaginepro';
export {
  billingToBalance,
  createIqqz,
  iqqzProvider,
  type BillingSubscription,
  type BillingUsage,
  type Iqqz,
  type IqqzAccountConfig,
  type IqqzBalanceOptions,
  type IqqzSettings,
} from '@aicredits/iqqz';
export {
  createPixVerse,
  featuresToBalance,
  type Features,
  pixverseProvider,
  type PixVerse,
  type PixVerseAccountConfig,
  type PixVerseSettings,
} from '@aicredits/pixverse';
export type { AccountConfig, AccountsConfig, ProviderId, SharedSettings } from './account-config.js';
export type { BalanceFailure, BalanceResult, BalanceSuccess } from './balance-result.js';
export { createAccounts, type Accounts, type BalancesOptions } from './create-accounts.js';
export { builtInProviders, providerIds, type BuiltInProvider } from './providers.js';
