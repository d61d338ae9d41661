import { MockOptionsError } from './mock-options-error.js';
import type { MockProviderId } from './mock-provider-id.js';

/** Credits that run down: by `amount` on every balance request, or every `everyMs` of the clock. */
export interface MockDrain {
  /** Credits (in the provider's own unit) taken per step. */
  readonly amount: number;
  /** Time between steps. Without it, every balance request after the first is one step. */
  readonly everyMs?: number;
}

type Body = Record<string, unknown>;

interface DrainTarget {
  /** The operation whose answer carries the remaining credits. */
  readonly path: string;
  /**
   * Returns the body as it reads once `drained` credits have gone; `body` is never modified.
   * `companion` is the body another of the provider's paths answers in the same example.
   */
  readonly apply: (body: Body, drained: number, companion: (path: string) => unknown) => Body;
}

/**
 * Where each provider keeps its remaining credits, and what spending them changes. Parts are
 * spent in the order given (the ones that expire soonest first), none below zero.
 */
const targets: Readonly<Record<MockProviderId, DrainTarget>> = {
  crowdcomputed: {
    path: '/api/v1/member/info',
    apply: (body, drained) => {
      if (!isRecord(body['data'])) return body;
      const data = { ...body['data'] };
      const [temporary = 0, permanent = 0] = spend(data, ['currentTemporaryPoints', 'currentPermanentPoints'], drained);
      add(data, 'usedTemporaryPoints', temporary);
      add(data, 'usedPermanentPoints', permanent);
      add(data, 'usedPoints', temporary + permanent);
      return { ...body, data };
    },
  },
  pixverse: {
    path: '/v2/pixverse/features/',
    apply: (body, drained) => {
      const copy = { ...body };
      spend(copy, ['credit_daily', 'credit_monthly', 'credit_package'], drained);
      return copy;
    },
  },
  imaginepro: {
    path: '/api/v1/subscription/account-info',
    apply: (body, drained) => {
      const copy = { ...body };
      spend(copy, ['credits', 'creditsExtra'], drained);
      return copy;
    },
  },
  iqqz: {
    // Gateways report usage, not a balance: remaining = hard_limit_usd - total_usage / 100.
    path: '/v1/dashboard/billing/usage',
    apply: (body, drained, companion) => {
      const copy = { ...body };
      add(copy, 'total_usage', drained * 100);
      // A one-api / new-api gateway refuses requests once the token's quota is spent: its usage
      // stops at the limit (hard_limit_usd = remaining + used quota), so remaining stops at zero.
      const limits = companion('/v1/dashboard/billing/subscription');
      const limit = isRecord(limits) ? limits['hard_limit_usd'] : undefined;
      const usage = body['total_usage'];
      if (typeof limit === 'number' && typeof usage === 'number' && typeof copy['total_usage'] === 'number') {
        copy['total_usage'] = Math.min(copy['total_usage'], Math.max(usage, round(limit * 100)));
      }
      return copy;
    },
  },
};

export function drainTargetPath(provider: MockProviderId): string {
  return targets[provider].path;
}

export function applyDrain(
  provider: MockProviderId,
  body: unknown,
  drained: number,
  companion: (path: string) => unknown = () => undefined,
): unknown {
  if (drained <= 0 || !isRecord(body)) return body;
  return targets[provider].apply(body, drained, companion);
}

export function validateDrain(drain: unknown, provider: string): MockDrain {
  const record = isRecord(drain) ? drain : {};
  const { amount, everyMs } = record;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0 || amount > 1e12) {
    throw new MockOptionsError(`Drain amount for ${provider} must be a positive number, got ${String(amount)}`);
  }
  if (everyMs !== undefined && !(typeof everyMs === 'number' && Number.isInteger(everyMs) && everyMs >= 1)) {
    throw new MockOptionsError(`Drain interval for ${provider} must be a whole number of milliseconds of at least 1`);
  }
  return everyMs === undefined ? { amount } : { amount, everyMs };
}

/** Takes up to `amount` from the fields in order; returns how much each gave. */
function spend(record: Body, fields: readonly string[], amount: number): number[] {
  let left = amount;
  return fields.map((field) => {
    const value = record[field];
    if (typeof value !== 'number' || left <= 0) return 0;
    const taken = Math.min(Math.max(value, 0), left);
    // Rounded to a millionth so that 0.1 + 0.2 style steps do not print as 0.30000000000000004.
    record[field] = round(value - taken);
    left = round(left - taken);
    return taken;
  });
}

function add(record: Body, field: string, amount: number): void {
  const value = record[field];
  if (typeof value === 'number') record[field] = round(value + amount);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
