import {
  dateFromEpochSeconds,
  exactAmount,
  statusFromExpiry,
  type Balance,
  type BalanceContext,
} from '@aicredits/core';
import type { BillingSubscription, BillingUsage } from './billing.js';

/** Gateways report 100000000 for an unlimited token; older ones 99999999.9999. */
export const unlimitedThreshold = 99_999_999;

export interface IqqzBalanceContext extends BalanceContext {
  /** The gateway's display unit; the API does not say it. Default `USD`. */
  unit?: string | undefined;
  /** Why the usage is missing, when the usage endpoint failed. */
  usageError?: string | undefined;
}

/**
 * Remaining = limit - usage / 100 (usage is in hundredths). Without usage the remaining amount is
 * unknown, not zero; an unlimited token has no remaining amount at all.
 */
export function billingToBalance(
  subscription: BillingSubscription,
  usage: BillingUsage | undefined,
  context: IqqzBalanceContext = {},
): Balance {
  const fetchedAt = context.fetchedAt ?? new Date();
  const unlimited = subscription.hard_limit_usd >= unlimitedThreshold;
  const used = usage === undefined ? undefined : exactAmount(usage.total_usage / 100);
  const limit = unlimited ? undefined : subscription.hard_limit_usd;
  const remaining = limit === undefined || used === undefined ? undefined : exactAmount(limit - used);
  const expiresAt = dateFromEpochSeconds(subscription.access_until);
  return {
    provider: 'iqqz',
    account: context.account ?? 'default',
    plan: undefined,
    unit: context.unit ?? 'USD',
    remaining,
    limit,
    used,
    unlimited,
    parts: [],
    renewsAt: undefined,
    expiresAt,
    // access_until 0 means the token never expires.
    status: subscription.access_until === 0 ? 'active' : statusFromExpiry(expiresAt, fetchedAt),
    notes:
      context.usageError === undefined
        ? []
        : [`usage unavailable${unlimited ? '' : ', remaining unknown'}: ${context.usageError}`],
    fetchedAt,
    raw: { subscription, usage },
  };
}
