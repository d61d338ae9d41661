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
// The core's main entry is its user-facing surface (error classes to catch, `Balance`, settings
// types), so installing one provider is enough, also under strict package managers; the
// provider-author API stays in `@aicredits/core/provider-utils`.
export * from '@aicredits/core';
