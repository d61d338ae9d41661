import { describe, expect, it } from 'vitest';

import type { BillingSubscription, BillingUsage } from './billing.js';
import { billingFieldsRead, billingToBalance } from './iqqz-balance.js';
import { seedSubscription } from './testing/seed-example.js';

const fetchedAt = new Date('2026-06-01T00:00:00Z');

const limited = (limit: number, accessUntil = 0): BillingSubscription => ({
  ...seedSubscription,
  soft_limit_usd: limit,
  hard_limit_usd: limit,
  system_hard_limit_usd: limit,
  access_until: accessUntil,
});

const usage = (totalUsage: number): BillingUsage => ({ object: 'list', total_usage: totalUsage });

/**
 * No amount in the serialized balance shows a binary floating-point artefact such as
 * 0.30000000000000004 (`raw` is left out: it holds the input as received).
 */
function expectNoLongDecimals(balance: object): void {
  expect(JSON.stringify({ ...balance, raw: undefined })).not.toMatch(/\d\.\d{10,}/);
}

describe('billingToBalance', () => {
  it('maps the seed example with 250 cents used: remaining 2.5 of 5 USD, never expires', () => {
    const subscription = seedSubscription;
    const balance = billingToBalance(subscription, usage(250), { account: 'gpt', fetchedAt, unit: 'USD' });
    expect(balance).toEqual({
      provider: 'iqqz',
      account: 'gpt',
      plan: undefined,
      unit: 'USD',
      unitAssumed: false,
      remaining: 2.5,
      limit: 5,
      used: 2.5,
      unlimited: false,
      parts: [],
      renewsAt: undefined,
      expiresAt: undefined,
      status: 'active',
      notes: [],
      fetchedAt,
      raw: { subscription, usage: usage(250) },
    });
  });

  it.each([
    ['100000000', 100_000_000],
    ['the legacy 99999999.9999', 99_999_999.9999],
  ])('treats %s as unlimited: no remaining, no limit, never a huge balance', (_name, value) => {
    const balance = billingToBalance(limited(value), usage(4817.5), { fetchedAt });
    expect(balance.unlimited).toBe(true);
    expect(balance.remaining).toBeUndefined();
    expect(balance.limit).toBeUndefined();
    expect(balance.used).toBe(48.175);
    expect(balance.status).toBe('active');
    expect(JSON.stringify({ ...balance, raw: undefined })).not.toMatch(/9999999|100000000|1e\+?8/);
    expect(balance.raw).toEqual({ subscription: limited(value), usage: usage(4817.5) });
  });

  it('an unlimited token without usage is still unlimited', () => {
    const balance = billingToBalance(limited(100_000_000), undefined, { fetchedAt });
    expect(balance.unlimited).toBe(true);
    expect(balance.remaining).toBeUndefined();
    expect(balance.used).toBeUndefined();
  });

  it('a large but real limit is not unlimited', () => {
    const balance = billingToBalance(limited(50_000_000), usage(100), { fetchedAt });
    expect(balance.unlimited).toBe(false);
    expect(balance.remaining).toBe(49_999_999);
  });

  it('computes 12.5 - 123.45 cents / 100 = 11.2655 exactly', () => {
    const balance = billingToBalance(limited(12.5, 1814399999), usage(123.45), { fetchedAt });
    expect(balance.remaining).toBe(11.2655);
    expect(balance.used).toBe(1.2345);
    expect(balance.limit).toBe(12.5);
    expectNoLongDecimals(balance);
  });

  it.each([
    // [limit, total_usage in cents, remaining]: each would show an artefact with plain floating point.
    [0.3, 10, 0.2],
    [1, 70, 0.3],
    [0.3, 20, 0.1],
    [1.1, 110, 0],
    [100, 0.3, 99.997],
    [3.3, 110.00000000000001, 2.2],
  ])('limit %d minus %d cents is exactly %d', (limit, totalUsage, remaining) => {
    const balance = billingToBalance(limited(limit), usage(totalUsage), { fetchedAt });
    expect(balance.remaining).toBe(remaining);
    expect(String(balance.remaining)).toBe(String(remaining));
    expectNoLongDecimals(balance);
  });

  it('without a unit assumes USD, marks it and says so in a note', () => {
    const balance = billingToBalance(seedSubscription, usage(250), { fetchedAt });
    expect(balance).toMatchObject({ unit: 'USD', unitAssumed: true, remaining: 2.5 });
    expect(balance.notes).toEqual([
      'unit assumed USD: the gateway does not publish its display unit; set "unit" to be sure',
    ]);
  });

  it('missing usage leaves remaining unknown (not 0) and says why in a note', () => {
    const balance = billingToBalance(seedSubscription, undefined, {
      fetchedAt,
      unit: 'CNY',
      usageError: 'iqqz getUsage failed with HTTP 500',
    });
    expect(balance.remaining).toBeUndefined();
    expect(balance.used).toBeUndefined();
    expect(balance.limit).toBe(5);
    expect(balance.notes).toHaveLength(1);
    expect(balance.notes[0]).toContain('usage unavailable');
    expect(balance.notes[0]).toContain('HTTP 500');
  });

  it('zero limit and zero usage is a remaining 0, not unknown', () => {
    const balance = billingToBalance(limited(0), usage(0), { fetchedAt });
    expect(balance.remaining).toBe(0);
    expect(balance.limit).toBe(0);
    expect(balance.used).toBe(0);
    expect(balance.unlimited).toBe(false);
  });

  it('usage beyond the limit gives a negative remaining rather than hiding the overdraft', () => {
    expect(billingToBalance(limited(1), usage(150), { fetchedAt }).remaining).toBe(-0.5);
  });

  it('access_until in the past is expired, in the future active, 0 never expires', () => {
    const past = billingToBalance(limited(5, 1704067200), usage(0), { fetchedAt });
    expect(past.status).toBe('expired');
    expect(past.expiresAt?.toISOString()).toBe('2024-01-01T00:00:00.000Z');

    const future = billingToBalance(limited(5, 1814399999), usage(0), { fetchedAt });
    expect(future.status).toBe('active');
    expect(future.expiresAt?.toISOString()).toBe('2027-06-30T23:59:59.000Z');

    const never = billingToBalance(limited(5, 0), usage(0), { fetchedAt });
    expect(never.status).toBe('active');
    expect(never.expiresAt).toBeUndefined();
  });

  it('uses the configured display unit', () => {
    expect(billingToBalance(seedSubscription, usage(250), { unit: 'CNY', fetchedAt }).unit).toBe('CNY');
    expect(billingToBalance(seedSubscription, usage(250), { unit: 'tokens', fetchedAt }).unit).toBe('tokens');
  });

  it('keeps unknown fields in raw and defaults the label', () => {
    const subscription = { ...seedSubscription, extra_field: 'x' };
    const balance = billingToBalance(subscription, usage(1));
    expect(balance.account).toBe('default');
    expect(balance.raw).toEqual({ subscription, usage: usage(1) });
  });
});

describe('billingFieldsRead', () => {
  /** The body, recording every property the mapper reads from it. */
  function recording<T extends object>(body: T, reads: Set<string>): T {
    return new Proxy(body, {
      get(target, property, receiver) {
        if (typeof property === 'string') reads.add(property);
        return Reflect.get(target, property, receiver);
      },
    });
  }

  it('names every field billingToBalance reads, so an answer may lack the others', () => {
    const [subscriptionReads, usageReads] = [new Set<string>(), new Set<string>()];
    for (const [subscription, usage] of [
      [seedSubscription, { object: 'list', total_usage: 250 }],
      [
        { ...seedSubscription, hard_limit_usd: 100_000_000, access_until: 1_900_000_000 },
        { object: 'list', total_usage: 0 },
      ],
    ] as const) {
      billingToBalance(recording({ ...subscription }, subscriptionReads), recording({ ...usage }, usageReads), {
        unit: 'USD',
      });
    }
    expect([...subscriptionReads].sort()).toEqual([...billingFieldsRead.subscription].sort());
    expect([...usageReads].sort()).toEqual([...billingFieldsRead.usage].sort());
  });
});
