/**
 * `aicredits`: `createAccounts(config).balances()`, the four clients and everything of `@aicredits/core`.
 *
 * @module aicredits
 */
export * from '@aicredits/core';
export {
  createCrowdComputed,
  memberInfoToBalance,
  type CrowdComputed,
  type CrowdComputedSettings,
  type MemberInfo,
} from '@aicredits/crowdcomputed';
export {
  createImaginePro,
  accountInfoToBalance,
  type AccountInfo,
  type ImaginePro,
  type ImagineProSettings,
} from '@aicredits/imaginepro';
export {
  billingToBalance,
  createIqqz,
  type BillingSubscription,
  type BillingUsage,
  type Iqqz,
  type IqqzBalanceOptions,
  type IqqzSettings,
} from '@aicredits/iqqz';
export {
  createPixVerse,
  featuresToBalance,
  type Features,
  type PixVerse,
  type PixVerseSettings,
} from '@aicredits/pixverse';
export type {
  AccountConfig,
  AccountConfigBase,
  AccountsConfig,
  CrowdComputedAccountConfig,
  ImagineProAccountConfig,
  IqqzAccountConfig,
  PixVerseAccountConfig,
  ProviderId,
  SharedSettings,
} from './account-config.js';
export type { BalanceFailure, BalanceResult, BalanceSuccess } from './balance-result.js';
export { createAccounts, type Accounts, type BalancesOptions } from './create-accounts.js';
export { providerIds } from './providers.js';
