export {
  createIqqz,
  type BillingSubscription,
  type BillingUsage,
  type GetUsageParameters,
  type Iqqz,
  type IqqzBalanceOptions,
  type IqqzSettings,
} from './create-iqqz.js';
export type { components, operations, paths } from './generated/openapi.js';
export { iqqzDefinition } from './iqqz-definition.js';
export { billingToBalance, unlimitedThreshold, type IqqzBalanceContext } from './iqqz-balance.js';
// The classes callers catch and the shape they get back, so that installing one provider is enough.
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
  type Balance,
  type BalanceOptions,
  type BalancePart,
  type BalanceStatus,
  type CallOptions,
  type DebugLogEntry,
} from '@aicredits/core';
