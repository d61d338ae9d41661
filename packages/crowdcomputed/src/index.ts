export {
  createCrowdComputed,
  type CrowdComputed,
  type CrowdComputedSettings,
  type MemberInfo,
  type MemberInfoEnvelope,
} from './create-crowdcomputed.js';
export { crowdComputedDefinition } from './crowdcomputed-definition.js';
export type { components, operations, paths } from './generated/openapi.js';
export { memberInfoToBalance } from './crowdcomputed-balance.js';
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
