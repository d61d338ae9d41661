import type { AccountConfigOf } from '@aicredits/core';

import type { crowdComputedProvider } from './crowdcomputed-provider.js';

export { createCrowdComputed, type CrowdComputed, type CrowdComputedSettings } from './create-crowdcomputed.js';
export { crowdComputedDefinition } from './crowdcomputed-definition.js';
export { crowdComputedProvider } from './crowdcomputed-provider.js';
export type { MemberInfo, MemberInfoEnvelope } from './member-info.js';
/** A CrowdComputed account in an `aicredits` configuration. */
export type CrowdComputedAccountConfig = AccountConfigOf<typeof crowdComputedProvider>;
export { memberInfoToBalance } from './crowdcomputed-balance.js';
export type { components, operations, paths } from './generated/openapi.js';
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
