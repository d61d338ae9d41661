import { type Balance } from '@aicredits/core';
import { type BalanceContext, createBalance, dateFromEpochSeconds, exactAmount } from '@aicredits/core/provider-utils';

import type { BillingSubscription, BillingUsage } from './billing.js';
import { iqqzDefinition } from './iqqz-definition.js';

/** Gateways report 100000000 for an unlimited token; older ones 99999999.9999. */
export const unlimitedThreshold = 99_999_999;

export interface IqqzBalanceContext extends BalanceContext {
  /** The gateway's display unit, configured or published; without it USD is assumed, with a note. */
  unit?: string | undefined;
  /** Why the usage is missing, when the usage endpoint failed. */
  usageError?: string | undefined;
}

/**
 * The fields `billingToBalance` reads. The spec requires others too (`has_payment_method`,
 * `soft_limit_usd`, ...); an answer without them still gives the balance, with a note.
 */
export const billingFieldsRead = {
  subscription: ['hard_limit_usd', 'access_until'],
  usage: ['total_usage'],
} as const satisfies {
  subscription: readonly (keyof BillingSubscription)[];
  usage: readonly (keyof BillingUsage)[];
};

/**
 * Remaining = limit - usage / 100 (usage is in hundredths). Without usage the remaining amount is
 * unknown, not zero; an unlimited token has no remaining amount at all.
 */
export function billingToBalance(
  subscription: BillingSubscription,
  usage: BillingUsage | undefined,
  context: IqqzBalanceContext = {},
): Balance {
  const unlimited = subscription.hard_limit_usd >= unlimitedThreshold;
  const used = usage === undefined ? undefined : exactAmount(usage.total_usage / 100);
  const limit = unlimited ? undefined : subscription.hard_limit_usd;
  const remaining = limit === undefined || used === undefined ? undefined : exactAmount(limit - used);
  const notes: string[] = [];
  if (context.usageError !== undefined) {
    notes.push(`usage unavailable${unlimited ? '' : ', remaining unknown'}: ${context.usageError}`);
  }
  if (context.unit === undefined) {
    notes.push('unit assumed USD: the gateway does not publish its display unit; set "unit" to be sure');
  }
  return createBalance(iqqzDefinition.id, context, {
    unit: context.unit ?? 'USD',
    unitAssumed: context.unit === undefined,
    remaining,
    limit,
    used,
    unlimited,
    expiresAt: dateFromEpochSeconds(subscription.access_until),
    // access_until 0 means the token never expires.
    ...(subscription.access_until === 0 ? { status: 'active' as const } : {}),
    notes,
    raw: { subscription, usage },
  });
}
