/** Whether the account can spend, as far as the provider tells. */
export type BalanceStatus = 'active' | 'expired' | 'unsubscribed' | 'unknown';

/** One pot of credits with its own refill or expiry, e.g. CrowdComputed's temporary points. */
export interface BalancePart {
  /** `temporary`, `permanent`, `daily`, `monthly`, `package`, `extra`, … */
  name: string;
  remaining: number | undefined;
  limit?: number | undefined;
  used?: number | undefined;
  /** When this part is refilled. */
  resetsAt?: Date | undefined;
  /** When this part stops counting; `undefined` for never or not told. */
  expiresAt?: Date | undefined;
}

/** One account's credits, in the same shape for every provider. */
export interface Balance {
  /** Provider id, e.g. `pixverse`. */
  provider: string;
  /** The account's label in the configuration. */
  account: string;
  /** The plan's name as the provider spells it; new names pass through unchanged. */
  plan: string | undefined;
  /** What the amounts count: `points`, `credits`, or a gateway's display unit (`USD`, `CNY`, `tokens`). */
  unit: string;
  /** The provider does not say the unit and nobody configured it: `unit` is a guess (a note says so). */
  unitAssumed?: boolean | undefined;
  /** Credits left; `undefined` when not known (never a made-up zero). */
  remaining: number | undefined;
  /** The allowance `remaining` counts down from, when the provider says. */
  limit: number | undefined;
  used: number | undefined;
  /** No limit at all (a gateway's 100000000); `remaining` and `limit` are then `undefined`. */
  unlimited: boolean;
  /** The pots that add up to `remaining`, each with its own reset or expiry. */
  parts: BalancePart[];
  /** Next renewal or payment. */
  renewsAt: Date | undefined;
  /** When the plan or token ends. */
  expiresAt: Date | undefined;
  status: BalanceStatus;
  /** Things worth knowing that are not an error, e.g. a companion endpoint that did not answer. */
  notes: string[];
  fetchedAt: Date;
  /** The provider's responses, as received and validated. */
  raw: unknown;
}

/**
 * Removes binary floating-point artefacts (`0.1 + 0.2`) from an amount and nothing else: an integer
 * passes through exactly (1234567890123 stays itself), and fifteen significant digits, all a double
 * holds for certain, keep every decimal amount a provider can send.
 */
export function exactAmount(value: number): number {
  if (Number.isInteger(value) || !Number.isFinite(value)) return value;
  return Number.parseFloat(value.toPrecision(15));
}

/** Sums the known amounts; `undefined` when none is known. */
export function sumAmounts(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : exactAmount(known.reduce((total, value) => total + value, 0));
}

/** A date from Unix epoch seconds; 0 and absent mean "not set". */
export function dateFromEpochSeconds(seconds: number | undefined): Date | undefined {
  if (seconds === undefined || seconds <= 0) return undefined;
  const date = new Date(seconds * 1000);
  // Out of the range a Date can hold: no date rather than an Invalid Date.
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A date from an ISO 8601 string; anything unparsable is "not set" rather than an Invalid Date. */
export function dateFromIso(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `expired` once `expiresAt` has passed, `active` before, `unknown` without a date. */
export function statusFromExpiry(expiresAt: Date | undefined, now: Date): BalanceStatus {
  if (expiresAt === undefined) return 'unknown';
  return expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

/** What a provider's `toBalance` needs besides the response. */
export interface BalanceContext {
  /** The account's label; defaults to `default`. */
  account?: string | undefined;
  /** When the response was fetched; also the "now" that decides whether a plan has expired. */
  fetchedAt?: Date | undefined;
  /** Notes from fetching (e.g. `ApiClient.read`'s), put before the mapper's own. */
  notes?: readonly string[] | undefined;
}

/** What a mapper knows of a balance; the rest takes the defaults of `createBalance`. */
export type BalanceFields = Partial<Omit<Balance, 'provider' | 'account' | 'fetchedAt'>> &
  Pick<Balance, 'unit' | 'raw'>;

/**
 * A `Balance` of `provider` with the fields every mapper shares filled in from the context:
 * account `default`, fetched now, nothing known beyond `fields`, no parts, no notes, and the
 * status from `expiresAt` unless given.
 */
export function createBalance(provider: string, context: BalanceContext, fields: BalanceFields): Balance {
  const fetchedAt = context.fetchedAt ?? new Date();
  return {
    provider,
    account: context.account ?? 'default',
    plan: undefined,
    remaining: undefined,
    limit: undefined,
    used: undefined,
    unlimited: false,
    parts: [],
    renewsAt: undefined,
    expiresAt: undefined,
    ...fields,
    notes: [...(context.notes ?? []), ...(fields.notes ?? [])],
    status: fields.status ?? statusFromExpiry(fields.expiresAt, fetchedAt),
    fetchedAt,
  };
}
