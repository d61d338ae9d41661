import {
  ApiCallError,
  AuthenticationError,
  BadRequestError,
  type BalanceResult,
  type BalanceStatus,
  ConnectionError,
  InsufficientCreditsError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  redactSecrets,
  ServerError,
  SettingsError,
  TimeoutError,
  UserAbortError,
} from 'aicredits';

/** Why a check failed, coarse enough to store and alert on; `undefined` on a reading that succeeded. */
export type ReadingErrorKind =
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'bad-request'
  | 'rate-limit'
  | 'insufficient-credits'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'invalid-response'
  | 'settings'
  | 'aborted'
  | 'other';

/** One pot of a reading, as the provider told it (see `BalancePart`). */
export interface ReadingPart {
  name: string;
  remaining: number | undefined;
  limit: number | undefined;
  resetsAt: Date | undefined;
  expiresAt: Date | undefined;
}

/** What one check of one account found: the unit of history, forecasts and alerts. */
export interface Reading {
  provider: string;
  /** The account's label (PixVerse accounts found through `allAccounts`: `label/email`). */
  account: string;
  /** When the check finished. */
  at: Date;
  ok: boolean;
  remaining: number | undefined;
  limit: number | undefined;
  unit: string | undefined;
  unlimited: boolean;
  plan: string | undefined;
  /** `undefined` when the check failed. */
  status: BalanceStatus | undefined;
  renewsAt: Date | undefined;
  expiresAt: Date | undefined;
  parts: ReadingPart[];
  /** The threshold that applied. */
  min: number | undefined;
  errorKind: ReadingErrorKind | undefined;
  /** The error's message (the clients redact secrets from it); provider text, so render it safely. */
  errorMessage: string | undefined;
  /** From a failed call: how long the server asked to wait before the next one. */
  retryAfterMs?: number | undefined;
}

/** The identity of an account across readings: provider and label. */
export function accountKey(reading: { provider: string; account: string }): string {
  return `${reading.provider}/${reading.account}`;
}

export function readingFromResult(result: BalanceResult, at: Date): Reading {
  const base = { provider: result.provider, account: result.account, at, min: result.min };
  if (!result.ok) {
    return {
      ...base,
      ok: false,
      remaining: undefined,
      limit: undefined,
      unit: undefined,
      unlimited: false,
      plan: undefined,
      status: undefined,
      renewsAt: undefined,
      expiresAt: undefined,
      parts: [],
      errorKind: errorKindOf(result.error),
      errorMessage: result.error.message,
      retryAfterMs: RateLimitError.isInstance(result.error) ? result.error.retryAfterMs : undefined,
    };
  }
  const { balance } = result;
  return {
    ...base,
    ok: true,
    remaining: balance.remaining,
    limit: balance.limit,
    unit: balance.unit,
    unlimited: balance.unlimited,
    plan: balance.plan,
    status: balance.status,
    renewsAt: balance.renewsAt,
    expiresAt: balance.expiresAt,
    parts: balance.parts.map((part) => ({
      name: part.name,
      remaining: part.remaining,
      limit: part.limit,
      resetsAt: part.resetsAt,
      expiresAt: part.expiresAt,
    })),
    errorKind: undefined,
    errorMessage: undefined,
  };
}

// Most specific first: TimeoutError is a ConnectionError, MissingApiKeyError a SettingsError.
const errorKinds: [{ isInstance(error: unknown): boolean }, ReadingErrorKind][] = [
  [AuthenticationError, 'authentication'],
  [PermissionDeniedError, 'permission'],
  [NotFoundError, 'not-found'],
  [BadRequestError, 'bad-request'],
  [RateLimitError, 'rate-limit'],
  [InsufficientCreditsError, 'insufficient-credits'],
  [ServerError, 'server'],
  [ApiCallError, 'other'],
  [TimeoutError, 'timeout'],
  [ConnectionError, 'connection'],
  [InvalidResponseError, 'invalid-response'],
  [SettingsError, 'settings'],
  [UserAbortError, 'aborted'],
];

export function errorKindOf(error: unknown): ReadingErrorKind {
  return errorKinds.find(([type]) => type.isInstance(error))?.[1] ?? 'other';
}

/** Failures that will not go away by asking again: alert on the first one. */
export function isPermanentFailure(kind: ReadingErrorKind | undefined): boolean {
  return kind === 'authentication' || kind === 'permission' || kind === 'settings';
}

/** The reading with every provider-given text cleared of `secrets` (a server may echo the key back). */
export function withoutSecrets(reading: Reading, secrets: readonly (string | undefined)[]): Reading {
  const known = secrets.filter((secret): secret is string => secret !== undefined && secret !== '');
  if (known.length === 0) return reading;
  const clean = (text: string | undefined) => (text === undefined ? undefined : redactSecrets(text, known));
  return {
    ...reading,
    account: clean(reading.account)!,
    plan: clean(reading.plan),
    unit: clean(reading.unit),
    errorMessage: clean(reading.errorMessage),
    parts: reading.parts.map((part) => ({ ...part, name: clean(part.name)! })),
  };
}
