export {
  createPixVerse,
  type Features,
  type PixVerseAccount,
  type GetFeaturesParameters,
  type PixVerse,
  type PixVerseSettings,
} from './create-pixverse.js';
export type { components, operations, paths } from './generated/openapi.js';
export { pixverseDefinition } from './pixverse-definition.js';
export { featuresToBalance } from './pixverse-balance.js';
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
