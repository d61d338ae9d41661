import type { Reading } from '../reading.js';

/** A successful reading with everything else unset; override what a test cares about. */
export function reading(overrides: Partial<Reading> & { at: Date }): Reading {
  return {
    provider: 'crowdcomputed',
    account: 'studio',
    ok: true,
    remaining: 100,
    limit: 1000,
    unit: 'points',
    unlimited: false,
    plan: 'Professional',
    status: 'active',
    renewsAt: undefined,
    expiresAt: undefined,
    parts: [],
    min: undefined,
    errorKind: undefined,
    errorMessage: undefined,
    ...overrides,
  };
}

/** A failed check's reading: no balance, the error's kind and message. */
export function failedReading(
  overrides: Partial<Reading> & { at: Date; errorKind: Reading['errorKind']; errorMessage: string },
): Reading {
  return reading({
    ok: false,
    remaining: undefined,
    limit: undefined,
    unit: undefined,
    plan: undefined,
    status: undefined,
    ...overrides,
  });
}
