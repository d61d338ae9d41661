import type { MemberInfo } from '../member-info.js';

/** The provider documentation's example (the seed page in shared/seeds), verbatim: the spec's first 200 example. */
export const seedMemberInfo: MemberInfo = {
  memberType: 'hobby',
  periodType: 'month',
  payType: 'alipay',
  nextPayTime: 0,
  nextPointsResetTime: 0,
  nextPayAmount: 0,
  usedPoints: 0,
  usedTemporaryPoints: 0,
  usedPermanentPoints: 0,
  totalPoints: 0,
  currentTemporaryPoints: 0,
  currentPermanentPoints: 0,
  status: 'subscribed',
};
