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
