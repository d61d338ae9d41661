import { type Balance, type BalanceStatus } from '@aicredits/core';
import { type BalanceContext, createBalance, dateFromEpochSeconds, sumAmounts } from '@aicredits/core/provider-utils';

import { crowdComputedDefinition } from './crowdcomputed-definition.js';
import type { MemberInfo, MemberInfoEnvelope } from './member-info.js';

const statuses: Record<string, BalanceStatus> = { subscribed: 'active', unsubscribed: 'unsubscribed' };

/**
 * The envelope fields a balance needs: `code` says the call worked and `data` holds the member
 * info (none of whose fields the spec requires). An answer without `message` still gives the
 * balance, with a note.
 */
export const memberInfoFieldsRead = ['code', 'data'] as const satisfies readonly (keyof MemberInfoEnvelope)[];

/**
 * CrowdComputed points in the common shape: temporary points reset each period, permanent points
 * never expire; times are epoch seconds, 0 meaning "not set".
 */
export function memberInfoToBalance(info: MemberInfo, context: BalanceContext = {}): Balance {
  const resetsAt = dateFromEpochSeconds(info.nextPointsResetTime);
  return createBalance(crowdComputedDefinition.id, context, {
    plan: info.memberType,
    unit: 'points',
    remaining: sumAmounts([info.currentTemporaryPoints, info.currentPermanentPoints]),
    limit: info.totalPoints,
    used: info.usedPoints,
    parts: [
      { name: 'temporary', remaining: info.currentTemporaryPoints, used: info.usedTemporaryPoints, resetsAt },
      { name: 'permanent', remaining: info.currentPermanentPoints, used: info.usedPermanentPoints },
    ],
    renewsAt: dateFromEpochSeconds(info.nextPayTime),
    status: (info.status === undefined ? undefined : statuses[info.status]) ?? 'unknown',
    raw: info,
  });
}
