import type { BillingSubscription } from '../billing.js';

/** The provider documentation's example (the seed page in shared/seeds), verbatim: the spec's first 200 example. */
export const seedSubscription: BillingSubscription = {
  object: 'billing_subscription',
  has_payment_method: true,
  soft_limit_usd: 5,
  hard_limit_usd: 5,
  system_hard_limit_usd: 5,
  access_until: 0,
};
