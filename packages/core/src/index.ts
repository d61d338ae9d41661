export { AiCreditsError } from './aicredits-error.js';
export {
  ApiCallError,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  createApiCallError,
  errorKindForStatus,
  type ApiCallErrorOptions,
  type ApiErrorKind,
} from './api-call-error.js';
export { ConnectionError, TimeoutError, type ConnectionErrorOptions } from './connection-error.js';
export {
  configField,
  configFieldsJsonSchema,
  describeConfigValue,
  type ConfigField,
  type ConfigFields,
  type ConfigFieldSchema,
  type ConfigValues,
} from './config-field.js';
export { createApiClient, type ApiClient } from './create-api-client.js';
export type { Operation, OperationInit } from './operation.js';
export { isTransientStatus, type ProviderDefinition, type ProviderErrorDetails } from './provider-definition.js';
export { debugEnvironmentVariable, type DebugLogEntry, type DebugLogger } from './debug-log.js';
export { InvalidResponseError, type InvalidResponseErrorOptions } from './invalid-response-error.js';
export {
  accountLabelFor,
  defineProvider,
  isProviderModule,
  type AccountChecksContext,
  type AccountConfigBase,
  type AccountConfigOf,
  type BalanceCheck,
  type ProviderModule,
} from './provider-module.js';
export type { BalanceOptions, CallOptions, ProviderSettings } from './provider-settings.js';
export { redactSecrets } from './redact.js';
export { maskSecretFields } from './sanitize-json.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry-delay.js';
export { MissingApiKeyError, SettingsError } from './settings-error.js';
export { checkProviderSettings, type ProviderIdentity } from './check-provider-settings.js';
export { maxTimerMs } from './check-settings.js';
export { systemClock, type Clock, type FetchFunction } from './transport.js';
export { UserAbortError } from './user-abort-error.js';
export type { ValidationIssue, Validator } from './validation.js';
export {
  createBalance,
  dateFromEpochSeconds,
  dateFromIso,
  exactAmount,
  statusFromExpiry,
  sumAmounts,
  type Balance,
  type BalanceContext,
  type BalanceFields,
  type BalancePart,
  type BalanceStatus,
} from './balance.js';
