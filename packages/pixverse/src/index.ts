import type { AccountConfigOf } from '@aicredits/core';

import type { pixverseProvider } from './pixverse-provider.js';

export type { Accounts, Features } from './features.js';
export { pixverseProvider } from './pixverse-provider.js';
/** A PixVerse (useapi.net) account in an `aicredits` configuration. */
export type PixVerseAccountConfig = AccountConfigOf<typeof pixverseProvider>;
export {
  createPixVerse,
  type GetFeaturesParameters,
  type PixVerse,
  type PixVerseAccount,
  type PixVerseSettings,
} from './create-pixverse.js';
export type { components, operations, paths } from './generated/openapi.js';
export { featuresToBalance } from './pixverse-balance.js';
export { pixverseDefinition } from './pixverse-definition.js';
// The core's user-facing names (error classes to catch, `Balance`, settings types), so that
// installing one provider is enough, also under strict package managers. Listed, not `export *`:
// this package's surface is chosen here; the provider-author API stays in
// `@aicredits/core/provider-utils`.
export {
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
  type ProviderSettings,
  RateLimitError,
  redactSecrets,
  type RetryPolicy,
  ServerError,
  SettingsError,
  TimeoutError,
  UserAbortError,
  type ValidationIssue,
} from '@aicredits/core';
