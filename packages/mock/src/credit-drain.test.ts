import { describe, expect, it } from 'vitest';

import { applyDrain, drainTargetPath } from './credit-drain.js';
import { mockProviderIds } from './mock-provider-id.js';

describe('the providers the mock serves, from the specs', () => {
  it('keeps every provider on the port offset it always had (the bin: --port plus its position)', () => {
    // Moving one would move every user's mock to another port: each spec's port-offset pins it.
    expect(mockProviderIds).toEqual(['crowdcomputed', 'pixverse', 'imaginepro', 'iqqz']);
  });

  it('drains the path each spec names', () => {
    expect(Object.fromEntries(mockProviderIds.map((id) => [id, drainTargetPath(id)]))).toEqual({
      crowdcomputed: '/api/v1/member/info',
      pixverse: '/v2/pixverse/features/',
      imaginepro: '/api/v1/subscription/account-info',
      iqqz: '/v1/dashboard/billing/usage',
    });
  });
});

describe('applyDrain', () => {
  it('spends nested fields in order and counts what each gave where the spec says, without touching the body', () => {
    const body = {
      code: 0,
      data: {
        currentTemporaryPoints: 10,
        currentPermanentPoints: 100,
        usedTemporaryPoints: 1,
        usedPermanentPoints: 2,
        usedPoints: 3,
      },
    };
    const before = structuredClone(body);
    expect(applyDrain('crowdcomputed', body, 15)).toEqual({
      code: 0,
      data: {
        currentTemporaryPoints: 0,
        currentPermanentPoints: 95,
        usedTemporaryPoints: 11,
        usedPermanentPoints: 7,
        usedPoints: 18,
      },
    });
    expect(body).toEqual(before);
  });

  it('never spends below zero, skips fields that are not numbers, and rounds to a millionth', () => {
    expect(applyDrain('pixverse', { credit_daily: 0.1, credit_monthly: 'n/a', credit_package: 5 }, 0.3)).toEqual({
      credit_daily: 0,
      credit_monthly: 'n/a',
      credit_package: 4.8,
    });
    expect(applyDrain('imaginepro', { credits: 3, creditsExtra: 2 }, 100)).toEqual({ credits: 0, creditsExtra: 0 });
    expect(applyDrain('crowdcomputed', { code: 0, data: null }, 5)).toEqual({ code: 0, data: null });
  });

  it('grows a gateway usage per credit and stops it at the limit another path answers', () => {
    const limits = { hard_limit_usd: 5 };
    const companion = (path: string) => (path === '/v1/dashboard/billing/subscription' ? limits : undefined);
    expect(applyDrain('iqqz', { total_usage: 250 }, 1.5, companion)).toEqual({ total_usage: 400 });
    expect(applyDrain('iqqz', { total_usage: 250 }, 100, companion)).toEqual({ total_usage: 500 });
    // Without the limit's answer, usage just grows.
    expect(applyDrain('iqqz', { total_usage: 250 }, 100)).toEqual({ total_usage: 10_250 });
  });
});
