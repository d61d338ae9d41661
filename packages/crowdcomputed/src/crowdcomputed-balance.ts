import {
  dateFromEpochSeconds,
  sumAmounts,
  type Balance,
  type BalanceContext,
  type BalanceStatus,
} from '@aicredits/core';
import type { MemberInfo } from './create-crowdcomputed.js';

const statuses: Record<string, BalanceStatus> = { subscribed: 'active', unsubscribed: 'unsubscribed' };

/**
 * CrowdComputed points in the common shape: temporary points reset each period, permanent points
 * never expire; times are epoch seconds, 0 meaning "not set".
 */
export function memberInfoToBalance(info: MemberInfo, context: BalanceContext = {}): Balance {
  const resetsAt = dateFromEpochSeconds(info.nextPointsResetTime);
  return {
    provider: 'crowdcomputed',
    account: context.account ?? 'default',
    plan: info.memberType,
    unit: 'points',
    remaining: sumAmounts([info.currentTemporaryPoints, info.currentPermanentPoints]),
    limit: info.totalPoints,
    used: info.usedPoints,
    unlimited: false,
    parts: [
      { name: 'temporary', remaining: info.currentTemporaryPoints, used: info.usedTemporaryPoints, resetsAt },
      { name: 'permanent', remaining: info.currentPermanentPoints, used: info.usedPermanentPoints },
    ],
    renewsAt: dateFromEpochSeconds(info.nextPayTime),
    expiresAt: undefined,
    status: (info.status === undefined ? undefined : statuses[info.status]) ?? 'unknown',
    notes: [],
    fetchedAt: context.fetchedAt ?? new Date(),
    raw: info,
  };
}
