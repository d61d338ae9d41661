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
  type ProviderSettings,
  type RetryPolicy,
} from '@aicredits/core';
export {
  createCrowdComputed,
  memberInfoToBalance,
  type CrowdComputed,
  type CrowdComputedSettings,
  type MemberInfo,
} from '@aicredits/crowdcomputed';
export {
  createImaginePro,
  accountInfoToBalance,
  type AccountInfo,
  type ImaginePro,
  type ImagineProSettings,
} from '@aicredits/imaginepro';
export {
  billingToBalance,
  createIqqz,
  type BillingSubscription,
  type BillingUsage,
  type Iqqz,
  type IqqzBalanceOptions,
  type IqqzSettings,
} from '@aicredits/iqqz';
export {
  createPixVerse,
  featuresToBalance,
  type Features,
  type PixVerse,
  type PixVerseSettings,
} from '@aicredits/pixverse';
export type {
  AccountConfig,
  AccountConfigBase,
  AccountsConfig,
  CrowdComputedAccountConfig,
  ImagineProAccountConfig,
  IqqzAccountConfig,
  PixVerseAccountConfig,
  ProviderId,
  SharedSettings,
} from './account-config.js';
export type { BalanceFailure, BalanceResult, BalanceSuccess } from './balance-result.js';
export { createAccounts, type Accounts, type BalancesOptions } from './create-accounts.js';
export { providerIds } from './providers.js';
