import { type Balance } from '@aicredits/core';
import {
  type BalanceContext,
  createBalance,
  dateFromIso,
  exactAmount,
  sumAmounts,
} from '@aicredits/core/provider-utils';

import type { AccountInfo } from './account-info.js';
import { imagineProDefinition } from './imaginepro-definition.js';

/** The fields `accountInfoToBalance` reads; an answer without the spec's other required ones (`email`) still gives the balance, with a note. */
export const accountInfoFieldsRead = [
  'type',
  'creditsQuota',
  'credits',
  'creditsExtra',
  'expiredAt',
] as const satisfies readonly (keyof AccountInfo)[];

/** ImaginePro's monthly credits count down from `creditsQuota`; extra credits never expire. */
export function accountInfoToBalance(info: AccountInfo, context: BalanceContext = {}): Balance {
  const usedThisMonth = exactAmount(info.creditsQuota - info.credits);
  return createBalance(imagineProDefinition.id, context, {
    plan: info.type,
    unit: 'credits',
    remaining: sumAmounts([info.credits, info.creditsExtra]),
    // Extra credits have no allowance, so only an account without them has a single limit.
    limit: info.creditsExtra === 0 ? info.creditsQuota : undefined,
    used: usedThisMonth,
    parts: [
      { name: 'monthly', remaining: info.credits, limit: info.creditsQuota, used: usedThisMonth },
      { name: 'extra', remaining: info.creditsExtra },
    ],
    expiresAt: dateFromIso(info.expiredAt),
    raw: info,
  });
}
