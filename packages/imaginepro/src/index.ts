export { createImaginePro, type AccountInfo, type ImaginePro, type ImagineProSettings } from './create-imaginepro.js';
export type { components, operations, paths } from './generated/openapi.js';
export { imagineProDefinition } from './imaginepro-definition.js';
export { accountInfoToBalance } from './imaginepro-balance.js';
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
