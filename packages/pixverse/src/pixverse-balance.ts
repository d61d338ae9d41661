import { type Balance } from '@aicredits/core';
import { type BalanceContext, createBalance, dateFromIso, sumAmounts } from '@aicredits/core/provider-utils';

import type { Features } from './features.js';
import { pixverseDefinition } from './pixverse-definition.js';

/**
 * PixVerse credits come in daily, monthly and package parts. The `*_gift` fields are left in `raw`:
 * their meaning is not documented, so they are not presented as limits.
 */
export function featuresToBalance(features: Features, context: BalanceContext = {}): Balance {
  return createBalance(pixverseDefinition.id, context, {
    plan: features.plan_name,
    unit: 'credits',
    remaining: sumAmounts([features.credit_daily, features.credit_monthly, features.credit_package]),
    parts: [
      { name: 'daily', remaining: features.credit_daily, resetsAt: dateFromIso(features.daily_credits_refresh_time) },
      { name: 'monthly', remaining: features.credit_monthly, resetsAt: dateFromIso(features.credits_refresh_time) },
      { name: 'package', remaining: features.credit_package },
    ].filter((part) => part.remaining !== undefined),
    renewsAt: dateFromIso(features.billing_renewal_date),
    expiresAt: dateFromIso(features.expired_date),
    raw: features,
  });
}
