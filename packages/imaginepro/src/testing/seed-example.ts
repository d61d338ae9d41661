import type { AccountInfo } from '../account-info.js';

/** The provider documentation's example (the seed page in shared/seeds), verbatim: the spec's first 200 example. */
export const seedAccountInfo: AccountInfo = {
  type: 'STARTER',
  creditsQuota: 1600,
  credits: 1600,
  creditsExtra: 1000,
  expiredAt: '2022-10-07T14:30:00.000Z',
  email: 'xxx@gmail.com',
};
