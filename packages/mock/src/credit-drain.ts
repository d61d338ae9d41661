import { generatedDrainRules } from './generated/mock-providers.js';
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

export function drainTargetPath(provider: MockProviderId): string {
  return generatedDrainRules[provider].path;
}

/**
 * Returns the body as it reads once `drained` credits have gone, by the provider's drain rule
 * (from its spec); `body` is never modified. `companion` is the body another of the provider's
 * paths answers in the same example.
 */
export function applyDrain(
  provider: MockProviderId,
  body: unknown,
  drained: number,
  companion: (path: string) => unknown = () => undefined,
): unknown {
  if (drained <= 0 || !isRecord(body)) return body;
  const rule = generatedDrainRules[provider];
  const copy = new CopyOnWrite(body);
  for (const { field, countedIn = [] } of rule.spend ?? []) {
    if (copy.number(field) === undefined || drained <= 0) continue;
    const value = copy.number(field) as number;
    const taken = Math.min(Math.max(value, 0), drained);
    copy.set(field, value - taken);
    drained = round(drained - taken);
    for (const counter of countedIn) {
      const count = copy.number(counter);
      if (count !== undefined) copy.set(counter, count + taken);
    }
  }
  if (rule.grow !== undefined) {
    const { field, perCredit, limit } = rule.grow;
    const usage = copy.number(field);
    if (usage !== undefined) {
      let grown = round(usage + drained * perCredit);
      const limitBody = limit === undefined ? undefined : companion(limit.path);
      const cap =
        limit === undefined || !isRecord(limitBody) ? undefined : new CopyOnWrite(limitBody).number(limit.field);
      if (cap !== undefined) grown = Math.min(grown, Math.max(usage, round(cap * perCredit)));
      copy.set(field, grown);
    }
  }
  return copy.result;
}

/** A body whose nested records are copied the first time a field inside them is set. */
class CopyOnWrite {
  result: Body;
  private readonly copied = new Set<Body>();

  constructor(body: Body) {
    this.result = { ...body };
    this.copied.add(this.result);
  }

  number(dotted: string): number | undefined {
    let value: unknown = this.result;
    for (const key of dotted.split('.')) value = isRecord(value) ? value[key] : undefined;
    return typeof value === 'number' ? value : undefined;
  }

  /** Sets a field that holds a number (see `number`), rounded to a millionth. */
  set(dotted: string, value: number): void {
    const keys = dotted.split('.');
    const last = keys.pop() as string;
    let record = this.result;
    for (const key of keys) {
      const child = record[key] as Body;
      const copy = this.copied.has(child) ? child : { ...child };
      this.copied.add(copy);
      record[key] = copy;
      record = copy;
    }
    // Rounded to a millionth so that 0.1 + 0.2 style steps do not print as 0.30000000000000004.
    record[last] = round(value);
  }
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

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
