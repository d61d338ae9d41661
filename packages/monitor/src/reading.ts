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

// Every reading is built as one object literal of one shape, without spreading a common part:
// in Node 20, `{ ...base, more }` takes V8's slow path for each property after the spread, which
// made building a reading cost ~40 µs, a third of the monitor's own CPU per poll.
export function readingFromResult(result: BalanceResult, at: Date): Reading {
  if (!result.ok) {
    return {
      provider: result.provider,
      account: result.account,
      at,
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
      min: result.min,
      errorKind: errorKindOf(result.error),
      errorMessage: result.error.message,
      retryAfterMs: RateLimitError.isInstance(result.error) ? result.error.retryAfterMs : undefined,
    };
  }
  const { balance } = result;
  return {
    provider: result.provider,
    account: result.account,
    at,
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
    min: result.min,
    errorKind: undefined,
    errorMessage: undefined,
    retryAfterMs: undefined,
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

/**
 * The reading with every provider-given text cleared of `secrets` (a server may echo the key back);
 * the reading itself when there was nothing to clear, as almost always. `clean`: an earlier reading
 * of the same account found free of the same secrets; a reading with the same texts is too, so the
 * texts of an account that did not change since its last poll are not searched again.
 */
export function withoutSecrets(
  reading: Reading,
  secrets: readonly (string | undefined)[],
  clean?: Reading | undefined,
): Reading {
  if (clean !== undefined && sameTexts(reading, clean)) return reading;
  const known = secrets.filter((secret): secret is string => secret !== undefined && secret !== '');
  if (known.length === 0) return reading;
  // Every text at once first, one search for a reading that almost never holds a secret. An escape
  // never spans a NUL (the redaction decodes `\uXXXX`, `%XX` and `&#NN;`, each whole inside one
  // text), so an echo in any text is an echo in the joined one; only then is each text redacted.
  let joined = `${reading.account}\u0000${reading.plan ?? ''}\u0000${reading.unit ?? ''}\u0000${reading.errorMessage ?? ''}`;
  for (const part of reading.parts) joined += `\u0000${part.name}`;
  if (redactSecrets(joined, known) === joined) return reading;
  const redact = (text: string | undefined) => (text === undefined ? undefined : redactSecrets(text, known));
  const account = redact(reading.account)!;
  const plan = redact(reading.plan);
  const unit = redact(reading.unit);
  const errorMessage = redact(reading.errorMessage);
  let parts = reading.parts;
  for (const [index, part] of reading.parts.entries()) {
    const name = redact(part.name)!;
    if (name === part.name) continue;
    if (parts === reading.parts) parts = [...reading.parts];
    parts[index] = {
      name,
      remaining: part.remaining,
      limit: part.limit,
      resetsAt: part.resetsAt,
      expiresAt: part.expiresAt,
    };
  }
  if (
    account === reading.account &&
    plan === reading.plan &&
    unit === reading.unit &&
    errorMessage === reading.errorMessage &&
    parts === reading.parts
  ) {
    return reading;
  }
  return { ...reading, account, plan, unit, errorMessage, parts };
}

/** Whether two readings hold the same provider-given texts (the ones `withoutSecrets` searches). */
function sameTexts(a: Reading, b: Reading): boolean {
  if (
    a.account !== b.account ||
    a.plan !== b.plan ||
    a.unit !== b.unit ||
    a.errorMessage !== b.errorMessage ||
    a.parts.length !== b.parts.length
  ) {
    return false;
  }
  for (let index = 0; index < a.parts.length; index++) {
    if (a.parts[index]!.name !== b.parts[index]!.name) return false;
  }
  return true;
}
