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
