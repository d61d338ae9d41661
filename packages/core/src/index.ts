export { AiCreditsError } from './aicredits-error.js';
export {
  ApiCallError,
  type ApiCallErrorOptions,
  type ApiErrorKind,
  AuthenticationError,
  BadRequestError,
  createApiCallError,
  errorKindForStatus,
  InsufficientCreditsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from './api-call-error.js';
export {
  type Balance,
  type BalanceContext,
  type BalanceFields,
  type BalancePart,
  type BalanceStatus,
  createBalance,
  dateFromEpochSeconds,
  dateFromIso,
  exactAmount,
  statusFromExpiry,
  sumAmounts,
} from './balance.js';
export { checkProviderSettings, type ProviderIdentity } from './check-provider-settings.js';
export { maxTimerMs } from './check-settings.js';
export {
  type ConfigField,
  configField,
  type ConfigFields,
  type ConfigFieldSchema,
  configFieldsJsonSchema,
  type ConfigValues,
  describeConfigValue,
} from './config-field.js';
export { ConnectionError, type ConnectionErrorOptions, TimeoutError } from './connection-error.js';
export { type ApiClient, createApiClient, type ReadResult } from './create-api-client.js';
export { debugEnvironmentVariable, type DebugLogEntry, type DebugLogger } from './debug-log.js';
export { InvalidResponseError, type InvalidResponseErrorOptions } from './invalid-response-error.js';
export type { Operation, OperationInit } from './operation.js';
export { isTransientStatus, type ProviderDefinition, type ProviderErrorDetails } from './provider-definition.js';
export {
  type AccountChecksContext,
  type AccountConfigBase,
  type AccountConfigOf,
  accountLabelFor,
  type BalanceCheck,
  defineProvider,
  isProviderModule,
  type ProviderModule,
} from './provider-module.js';
export type { BalanceOptions, CallOptions, ProviderSettings } from './provider-settings.js';
export { redactSecrets } from './redact.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry-delay.js';
export { maskSecretFields } from './sanitize-json.js';
export { MissingApiKeyError, SettingsError } from './settings-error.js';
export { type Clock, type FetchFunction, systemClock } from './transport.js';
export { UserAbortError } from './user-abort-error.js';
export type { ValidationIssue, Validator } from './validation.js';
