import type { AccountConfigOf } from '@aicredits/core';

import type { imagineProProvider } from './imaginepro-provider.js';

export type { AccountInfo } from './account-info.js';
export { createImaginePro, type ImaginePro, type ImagineProSettings } from './create-imaginepro.js';
export { imagineProProvider } from './imaginepro-provider.js';
/** An ImaginePro account in an `aicredits` configuration. */
export type ImagineProAccountConfig = AccountConfigOf<typeof imagineProProvider>;
export type { components, operations, paths } from './generated/openapi.js';
export { accountInfoToBalance } from './imaginepro-balance.js';
export { imagineProDefinition } from './imaginepro-definition.js';
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
