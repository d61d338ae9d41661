import {
  dateFromIso,
  exactAmount,
  statusFromExpiry,
  sumAmounts,
  type Balance,
  type BalanceContext,
} from '@aicredits/core';
import type { AccountInfo } from './create-imaginepro.js';

/** ImaginePro's monthly credits count down from `creditsQuota`; extra credits never expire. */
export function accountInfoToBalance(info: AccountInfo, context: BalanceContext = {}): Balance {
  const fetchedAt = context.fetchedAt ?? new Date();
  const expiresAt = dateFromIso(info.expiredAt);
  const usedThisMonth = exactAmount(info.creditsQuota - info.credits);
  return {
    provider: 'imaginepro',
    account: context.account ?? 'default',
    plan: info.type,
    unit: 'credits',
    remaining: sumAmounts([info.credits, info.creditsExtra]),
    // Extra credits have no allowance, so only an account without them has a single limit.
    limit: info.creditsExtra === 0 ? info.creditsQuota : undefined,
    used: usedThisMonth,
    unlimited: false,
    parts: [
      { name: 'monthly', remaining: info.credits, limit: info.creditsQuota, used: usedThisMonth },
      { name: 'extra', remaining: info.creditsExtra },
    ],
    renewsAt: undefined,
    expiresAt,
    status: statusFromExpiry(expiresAt, fetchedAt),
    notes: [],
    fetchedAt,
    raw: info,
  };
}
