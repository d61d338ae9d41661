import { describe, expect, it } from 'vitest';

import { accountInfoFieldsRead, accountInfoToBalance } from './imaginepro-balance.js';
import { seedAccountInfo } from './testing/seed-example.js';

const beforeExpiry = new Date('2022-09-01T00:00:00Z');

describe('accountInfoToBalance', () => {
  it('maps the seed example: monthly + extra credits, no single limit with extra credits', () => {
    const balance = accountInfoToBalance(seedAccountInfo, { account: 'main', fetchedAt: beforeExpiry });
    expect(balance).toEqual({
      provider: 'imaginepro',
      account: 'main',
      plan: 'STARTER',
      unit: 'credits',
      remaining: 2600,
      limit: undefined,
      used: 0,
      unlimited: false,
      parts: [
        { name: 'monthly', remaining: 1600, limit: 1600, used: 0 },
        { name: 'extra', remaining: 1000 },
      ],
      renewsAt: undefined,
      expiresAt: new Date('2022-10-07T14:30:00.000Z'),
      status: 'active',
      notes: [],
      fetchedAt: beforeExpiry,
      raw: seedAccountInfo,
    });
  });

  it('is expired when expiredAt lies before fetchedAt', () => {
    const balance = accountInfoToBalance(seedAccountInfo, { fetchedAt: new Date('2026-01-01T00:00:00Z') });
    expect(balance.status).toBe('expired');
    expect(balance.expiresAt).toEqual(new Date('2022-10-07T14:30:00.000Z'));
  });

  it('without extra credits, the monthly quota is the limit', () => {
    const balance = accountInfoToBalance(
      { ...seedAccountInfo, credits: 1240, creditsExtra: 0, expiredAt: '2027-02-07T14:30:00.000Z' },
      { fetchedAt: beforeExpiry },
    );
    expect(balance.remaining).toBe(1240);
    expect(balance.limit).toBe(1600);
    expect(balance.used).toBe(360);
    expect(balance.status).toBe('active');
  });

  it('zero credits everywhere is a remaining 0, not unknown', () => {
    const balance = accountInfoToBalance(
      { ...seedAccountInfo, credits: 0, creditsExtra: 0, expiredAt: '2025-06-30T00:00:00.000Z' },
      { fetchedAt: new Date('2026-01-01T00:00:00Z') },
    );
    expect(balance.remaining).toBe(0);
    expect(balance.limit).toBe(1600);
    expect(balance.parts.map((part) => part.remaining)).toEqual([0, 0]);
    expect(balance.status).toBe('expired');
  });

  it('passes an unknown new plan name through', () => {
    expect(accountInfoToBalance({ ...seedAccountInfo, type: 'DIY_ULTRA' }, { fetchedAt: beforeExpiry }).plan).toBe(
      'DIY_ULTRA',
    );
  });

  it('an invalid expiredAt is undefined (status unknown), never an Invalid Date', () => {
    for (const expiredAt of ['not a date', '', '2022-13-45T99:00:00Z']) {
      const balance = accountInfoToBalance({ ...seedAccountInfo, expiredAt }, { fetchedAt: beforeExpiry });
      expect(balance.expiresAt).toBeUndefined();
      expect(balance.status).toBe('unknown');
    }
  });

  it('keeps the raw response and labels the account default', () => {
    const balance = accountInfoToBalance(seedAccountInfo);
    expect(balance.raw).toBe(seedAccountInfo);
    expect(balance.account).toBe('default');
  });
});

describe('accountInfoFieldsRead', () => {
  it('names every field accountInfoToBalance reads, so an answer may lack the others', () => {
    const reads = new Set<string>();
    const body = new Proxy(
      { ...seedAccountInfo },
      {
        get(target, property, receiver) {
          if (typeof property === 'string') reads.add(property);
          return Reflect.get(target, property, receiver);
        },
      },
    );
    accountInfoToBalance(body);
    expect([...reads].sort()).toEqual([...accountInfoFieldsRead].sort());
  });
});
