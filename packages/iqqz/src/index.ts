import type { AccountConfigOf } from '@aicredits/core';

import type { iqqzProvider } from './iqqz-provider.js';

export type { BillingSubscription, BillingUsage, GatewayStatus, StatusEnvelope } from './billing.js';
export { displayUnitFromStatus } from './display-unit.js';
export { iqqzProvider } from './iqqz-provider.js';
/** An iqqz (one-api / new-api gateway) account in an `aicredits` configuration. */
export type IqqzAccountConfig = AccountConfigOf<typeof iqqzProvider>;
export {
  createIqqz,
  type GetUsageParameters,
  type Iqqz,
  type IqqzBalanceOptions,
  type IqqzSettings,
} from './create-iqqz.js';
export type { components, operations, paths } from './generated/openapi.js';
export { billingToBalance, type IqqzBalanceContext, unlimitedThreshold } from './iqqz-balance.js';
export { iqqzDefinition } from './iqqz-definition.js';
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
