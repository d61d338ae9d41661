/**
 * `@aicredits/core/provider-utils`: the API for writing a provider package, the way the built-in
 * ones are written. A provider declares its definition (auth, error reading, retries), builds its
 * client with {@link createApiClient} from its OpenAPI spec's generated types and validators, maps
 * the response to a `Balance` with {@link createBalance} and the amount helpers, and exports
 * one module made with {@link defineProvider}, which `createAccounts({ providers })` and the
 * CLI's config `"providers"` accept.
 *
 * The error classes, `Balance` and the settings types are in the main entry, `@aicredits/core`.
 *
 * @example
 * ```ts
 * import { configField, createApiClient, defineProvider } from '@aicredits/core/provider-utils';
 * ```
 *
 * @module @aicredits/core/provider-utils
 */
export { type ApiCallErrorOptions, createApiCallError, errorKindForStatus } from './api-call-error.js';
export {
  type BalanceContext,
  type BalanceFields,
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
export type { ConnectionErrorOptions } from './connection-error.js';
export { type ApiClient, createApiClient, type ReadResult } from './create-api-client.js';
export type { InvalidResponseErrorOptions } from './invalid-response-error.js';
export type { Operation, OperationInit } from './operation.js';
export { isTransientStatus, type ProviderDefinition, type ProviderErrorDetails } from './provider-definition.js';
export {
  type AccountChecksContext,
  accountLabelFor,
  type BalanceCheck,
  defineProvider,
  isProviderModule,
} from './provider-module.js';
export { maskSecretFields } from './sanitize-json.js';
export { clockOf, withClock } from './settings-clock.js';
export { type Clock, systemClock } from './transport.js';
export type { Validator } from './validation.js';
