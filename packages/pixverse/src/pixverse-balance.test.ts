import { describe, expect, it } from 'vitest';

import { featuresToBalance } from './pixverse-balance.js';
import { seedFeatures } from './testing/seed-example.js';

const beforeExpiry = new Date('2024-12-06T00:00:00Z');
const afterExpiry = new Date('2025-01-02T00:00:00Z');

describe('featuresToBalance', () => {
  it('maps the seed example: daily + monthly + package credits, gift fields left in raw', () => {
    const balance = featuresToBalance(seedFeatures, { account: 'alice@example.com', fetchedAt: beforeExpiry });
    expect(balance).toEqual({
      provider: 'pixverse',
      account: 'alice@example.com',
      plan: 'Pro Plan',
      unit: 'credits',
      remaining: 5650,
      limit: undefined,
      used: undefined,
      unlimited: false,
      parts: [
        { name: 'daily', remaining: 30, resetsAt: undefined },
        { name: 'monthly', remaining: 5600, resetsAt: undefined },
        { name: 'package', remaining: 20 },
      ],
      renewsAt: new Date('2025-01-01T21:21:21Z'),
      expiresAt: new Date('2025-01-01T21:21:21Z'),
      status: 'active',
      notes: [],
      fetchedAt: beforeExpiry,
      raw: seedFeatures,
    });
    // The gift amounts are not presented as limits nor added to the balance.
    expect(balance.remaining).not.toBe(5650 + 30 + 6000);
  });

  it('is expired once expired_date has passed relative to fetchedAt', () => {
    expect(featuresToBalance(seedFeatures, { fetchedAt: afterExpiry }).status).toBe('expired');
    expect(featuresToBalance(seedFeatures, { fetchedAt: new Date('2025-01-01T21:21:21Z') }).status).toBe('expired');
  });

  it('handles an empty object: remaining unknown, no parts, status unknown', () => {
    const balance = featuresToBalance({}, { fetchedAt: beforeExpiry });
    expect(balance.remaining).toBeUndefined();
    expect(balance.parts).toEqual([]);
    expect(balance.status).toBe('unknown');
    expect(balance.plan).toBeUndefined();
    expect(balance.expiresAt).toBeUndefined();
    expect(balance.renewsAt).toBeUndefined();
    expect(balance.account).toBe('default');
    expect(balance.raw).toEqual({});
  });

  it('with only credit_daily, remaining is the daily credits', () => {
    const balance = featuresToBalance({ credit_daily: 60 }, { fetchedAt: beforeExpiry });
    expect(balance.remaining).toBe(60);
    expect(balance.parts).toEqual([{ name: 'daily', remaining: 60, resetsAt: undefined }]);
  });

  it('zero credits everywhere is a remaining 0, not unknown', () => {
    const balance = featuresToBalance(
      { credit_daily: 0, credit_monthly: 0, credit_package: 0 },
      { fetchedAt: beforeExpiry },
    );
    expect(balance.remaining).toBe(0);
    expect(balance.parts.map((part) => part.remaining)).toEqual([0, 0, 0]);
  });

  it('maps the 2026 refresh times when they are ISO strings and ignores other shapes', () => {
    const balance = featuresToBalance(
      {
        credit_daily: 5,
        credit_monthly: 10,
        daily_credits_refresh_time: '2026-06-02T00:00:00Z',
        credits_refresh_time: '2026-07-01T00:00:00.000+08:00',
      },
      { fetchedAt: beforeExpiry },
    );
    expect(balance.parts[0]?.resetsAt).toEqual(new Date('2026-06-02T00:00:00Z'));
    expect(balance.parts[1]?.resetsAt).toEqual(new Date('2026-06-30T16:00:00Z'));
    const numeric = featuresToBalance({ credit_daily: 5, daily_credits_refresh_time: 1_780_000_000 }, {});
    expect(numeric.parts[0]?.resetsAt).toBeUndefined();
  });

  it('turns invalid date strings into undefined, never an Invalid Date', () => {
    const balance = featuresToBalance(
      { credit_daily: 1, expired_date: 'not a date', billing_renewal_date: '', daily_credits_refresh_time: 'soon' },
      { fetchedAt: beforeExpiry },
    );
    expect(balance.expiresAt).toBeUndefined();
    expect(balance.renewsAt).toBeUndefined();
    expect(balance.parts[0]?.resetsAt).toBeUndefined();
    expect(balance.status).toBe('unknown');
    expect(() => JSON.stringify(balance)).not.toThrow();
  });

  it('passes unknown plan names and unknown fields through', () => {
    const features = { plan_name: 'Ultra Plan 2026', credit_package: 3, is_gift_card: true, qualities: ['720p'] };
    const balance = featuresToBalance(features, { fetchedAt: beforeExpiry });
    expect(balance.plan).toBe('Ultra Plan 2026');
    expect(balance.raw).toEqual(features);
  });

  it('adds fractional credits exactly', () => {
    const balance = featuresToBalance({ credit_daily: 0.1, credit_monthly: 0.2 }, { fetchedAt: beforeExpiry });
    expect(balance.remaining).toBe(0.3);
    expect(JSON.stringify(balance)).not.toMatch(/\d\.\d{10,}/);
  });
});
