import { describe, expect, it } from 'vitest';

import { memberInfoToBalance } from './crowdcomputed-balance.js';
import type { MemberInfo } from './member-info.js';
import { seedMemberInfo } from './testing/seed-example.js';

const fetchedAt = new Date('2026-06-01T00:00:00Z');

/** The spec's `professional` example. */
const professional: MemberInfo = {
  memberType: 'professional',
  periodType: 'year',
  payType: 'paypal',
  nextPayTime: 1805068800,
  nextPointsResetTime: 1799971200,
  nextPayAmount: 1999,
  usedPoints: 12830,
  usedTemporaryPoints: 12000,
  usedPermanentPoints: 830,
  totalPoints: 50000,
  currentTemporaryPoints: 33000,
  currentPermanentPoints: 4170,
  status: 'subscribed',
};

/** The spec's `unsubscribed` example. */
const unsubscribed: MemberInfo = {
  ...seedMemberInfo,
  usedPoints: 1350,
  usedTemporaryPoints: 1000,
  usedPermanentPoints: 350,
  totalPoints: 1500,
  currentTemporaryPoints: 0,
  currentPermanentPoints: 150,
  status: 'unsubscribed',
};

describe('memberInfoToBalance', () => {
  it('maps the seed example: zero points everywhere is a remaining 0, not unknown', () => {
    const balance = memberInfoToBalance(seedMemberInfo, { account: 'seed', fetchedAt });
    expect(balance).toEqual({
      provider: 'crowdcomputed',
      account: 'seed',
      plan: 'hobby',
      unit: 'points',
      remaining: 0,
      limit: 0,
      used: 0,
      unlimited: false,
      parts: [
        { name: 'temporary', remaining: 0, used: 0, resetsAt: undefined },
        { name: 'permanent', remaining: 0, used: 0 },
      ],
      // Placeholder 0 epoch seconds are "not set", never 1970-01-01.
      renewsAt: undefined,
      expiresAt: undefined,
      status: 'active',
      notes: [],
      fetchedAt,
      raw: seedMemberInfo,
    });
  });

  it('sums temporary and permanent points and turns epoch seconds into dates', () => {
    const balance = memberInfoToBalance(professional, { account: 'studio', fetchedAt });
    expect(balance.remaining).toBe(37170);
    expect(balance.limit).toBe(50000);
    expect(balance.used).toBe(12830);
    expect(balance.plan).toBe('professional');
    expect(balance.status).toBe('active');
    expect(balance.renewsAt).toEqual(new Date('2027-03-15T00:00:00Z'));
    expect(balance.parts).toEqual([
      { name: 'temporary', remaining: 33000, used: 12000, resetsAt: new Date('2027-01-15T00:00:00Z') },
      { name: 'permanent', remaining: 4170, used: 830 },
    ]);
    expect(balance.raw).toBe(professional);
  });

  it('converts the documented epoch example 1704067200 to 2024-01-01T00:00:00Z', () => {
    const balance = memberInfoToBalance(
      { ...professional, nextPayTime: 1704067200, nextPointsResetTime: 1704067200 },
      { fetchedAt },
    );
    expect(balance.renewsAt?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(balance.parts[0]?.resetsAt?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('marks an unsubscribed member as unsubscribed and keeps its permanent points', () => {
    const balance = memberInfoToBalance(unsubscribed, { fetchedAt });
    expect(balance.status).toBe('unsubscribed');
    expect(balance.remaining).toBe(150);
    expect(balance.limit).toBe(1500);
    expect(balance.account).toBe('default');
  });

  it('passes an unknown new plan name through and maps an unknown status to unknown', () => {
    const balance = memberInfoToBalance(
      { ...professional, memberType: 'enterprise-2027', status: 'paused' },
      { fetchedAt },
    );
    expect(balance.plan).toBe('enterprise-2027');
    expect(balance.status).toBe('unknown');
  });

  it('leaves remaining unknown (not 0) when no points are reported', () => {
    const balance = memberInfoToBalance({}, { fetchedAt });
    expect(balance.remaining).toBeUndefined();
    expect(balance.limit).toBeUndefined();
    expect(balance.used).toBeUndefined();
    expect(balance.plan).toBeUndefined();
    expect(balance.status).toBe('unknown');
    expect(balance.renewsAt).toBeUndefined();
    expect(balance.raw).toEqual({});
  });

  it('counts the one known part when the other is missing', () => {
    expect(memberInfoToBalance({ currentPermanentPoints: 42 }, { fetchedAt }).remaining).toBe(42);
    expect(memberInfoToBalance({ currentTemporaryPoints: 7 }, { fetchedAt }).remaining).toBe(7);
  });

  it('adds fractional points without floating-point artefacts', () => {
    const balance = memberInfoToBalance({ currentTemporaryPoints: 0.1, currentPermanentPoints: 0.2 }, { fetchedAt });
    expect(balance.remaining).toBe(0.3);
    expect(JSON.stringify(balance)).not.toMatch(/\d\.\d{10,}/);
  });

  it('is never unlimited and defaults fetchedAt to now', () => {
    const before = Date.now();
    const balance = memberInfoToBalance(professional);
    expect(balance.unlimited).toBe(false);
    expect(balance.fetchedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(balance.fetchedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('serializes dates as ISO strings and keeps no Invalid Date', () => {
    const json = JSON.parse(JSON.stringify(memberInfoToBalance(professional, { fetchedAt }))) as Record<
      string,
      unknown
    >;
    expect(json['renewsAt']).toBe('2027-03-15T00:00:00.000Z');
    expect(json['fetchedAt']).toBe('2026-06-01T00:00:00.000Z');
  });
});
