import { type AccountView, alertKinds } from './account-families.js';
import { createAccountTable } from './account-table.js';
import { encodeBlock, type EncodedBlock } from './encoded-blocks.js';
import { type BurnForecast, describeForecast } from './forecast.js';
import { accountKey, type Reading } from './reading.js';

/**
 * `GET /api/balances`: the shape of `aicredits balances --json` (`ok`, `fetchedAt`, one result per
 * account with `ok`, `provider`, `account`, `min`, and `balance` or `error`), built from the
 * monitor's latest readings rather than new requests, plus what the monitor knows: `forecast`,
 * active `alerts`, `checkedAt`. A failing account keeps its last known `balance`. Every field is
 * always present (`null` when unknown); the provider's raw response is not included.
 *
 * Each account's result is written as JSON when its view arrives and kept in blocks of accounts
 * (`createAccountTable`); a request writes the last rebuilt snapshot: its results and the head
 * (`ok`, `fetchedAt`) as of that rebuild.
 */
export interface BalancesDocument {
  /** The accounts' latest state, as of `now` (a forecast's text says "ran out" once it has). */
  update(views: readonly AccountView[], now: Date): void;
  /**
   * The views whose forecast text changed with the date alone by `now` ("ran out", a new year):
   * to `update` again (in the HTTP thread's slices, not in the request that noticed).
   */
  due(now: Date): AccountView[];
  /** As `PrometheusMetrics.rebuild`. */
  rebuild(until?: number): boolean;
  /** The published snapshot. */
  blocks(): EncodedBlock[];
}

interface Entry {
  view: AccountView;
  /** Healthy: checked fine, not low, no alert. */
  fine: boolean;
  /** When the result's forecast text changes with the date alone. */
  textChangesAt: number;
}

export function createBalancesDocument(options: { refreshSeconds: number }): BalancesDocument {
  const table = createAccountTable({ columns: 1, separators: [','] });
  const entries = new Map<string, Entry>();
  let notFine = 0;
  let fetchedAt: number | undefined;
  let textChangesAt = Number.POSITIVE_INFINITY;
  let headChanged = true;
  let head: EncodedBlock | undefined;

  function set(view: AccountView, now: Date) {
    const result = balanceResult(view, now);
    const key = accountKey(view);
    const before = entries.get(key);
    const fine = result.ok && !result.low && result.alerts.length === 0;
    notFine += (fine ? 0 : 1) - (before === undefined || before.fine ? 0 : 1);
    const entry = { view, fine, textChangesAt: forecastTextChangesAt(view, now) };
    entries.set(key, entry);
    textChangesAt = Math.min(textChangesAt, entry.textChangesAt);
    if (view.latest !== undefined) fetchedAt = Math.max(fetchedAt ?? 0, view.latest.at.getTime());
    table.set(view.provider, view.account, [toJsonText(result)]);
    headChanged = true;
  }

  function rebuild(until?: number): boolean {
    if (!table.rebuild(until)) return false;
    // The head as of the results just published (the rebuild publishes every update set so far).
    if (headChanged) {
      const text = toJsonText({
        ok: notFine === 0,
        fetchedAt: fetchedAt === undefined ? undefined : new Date(fetchedAt),
        refreshSeconds: options.refreshSeconds,
      });
      head = encodeBlock(`${text.slice(0, -1)},"results":[`);
      headChanged = false;
    }
    return true;
  }

  return {
    update(views, now) {
      for (const view of views) set(view, now);
    },
    due(now) {
      if (now.getTime() < textChangesAt) return [];
      const due: AccountView[] = [];
      textChangesAt = Number.POSITIVE_INFINITY;
      for (const entry of entries.values()) {
        if (now.getTime() >= entry.textChangesAt) due.push(entry.view);
        else textChangesAt = Math.min(textChangesAt, entry.textChangesAt);
      }
      return due;
    },
    rebuild,
    blocks() {
      if (head === undefined) rebuild();
      return [head!, table.column(0), closing];
    },
  };
}

const closing = encodeBlock(']}\n');

/** One account's entry of `/api/balances`. */
export function balanceResult(view: AccountView, now: Date) {
  const success = view.lastSuccess;
  const low =
    success !== undefined &&
    !success.unlimited &&
    view.min !== undefined &&
    (success.remaining === undefined || success.remaining < view.min);
  return {
    ok: view.latest?.ok ?? false,
    provider: view.provider,
    account: view.account,
    min: view.min,
    low,
    checkedAt: view.latest?.at,
    balance: success === undefined ? undefined : balanceOf(success, view.used),
    error:
      view.latest === undefined
        ? { kind: 'pending', message: 'not checked yet' }
        : view.latest.ok
          ? undefined
          : { kind: view.latest.errorKind, message: view.latest.errorMessage },
    forecast: view.forecast === undefined ? undefined : forecastOf(view.forecast, now),
    alerts: alertKinds.flatMap((kind) => {
      const alert = view.alerts?.active[kind];
      return alert === undefined ? [] : [{ kind, since: new Date(alert.since), detail: alert.detail }];
    }),
  };
}

/** `describeForecast` reads the date for "ran out" (once a depletion date passes) and the year. */
function forecastTextChangesAt(view: AccountView, now: Date): number {
  if (view.forecast === undefined) return Number.POSITIVE_INFINITY;
  let at = Date.UTC(now.getUTCFullYear() + 1, 0, 1);
  for (const burn of [view.forecast, ...(view.forecast.parts ?? [])]) {
    const depletes = burn.depletesAt?.getTime();
    if (depletes !== undefined && depletes > now.getTime()) at = Math.min(at, depletes);
  }
  return at;
}

/** JSON with `undefined` written as `null`, so every field is always present. */
export function toJsonText(document: unknown): string {
  return JSON.stringify(document, (_key, value: unknown) => (value === undefined ? null : value));
}

function balanceOf(reading: Reading, used: number | undefined) {
  return {
    provider: reading.provider,
    account: reading.account,
    plan: reading.plan,
    unit: reading.unit,
    remaining: reading.remaining,
    limit: reading.limit,
    used,
    unlimited: reading.unlimited,
    parts: reading.parts,
    renewsAt: reading.renewsAt,
    expiresAt: reading.expiresAt,
    status: reading.status,
    fetchedAt: reading.at,
  };
}

function forecastOf(forecast: BurnForecast & { parts?: (BurnForecast & { name: string })[] }, now: Date) {
  const one = (burn: BurnForecast) => ({
    burnPerDay: burn.burnPerDay,
    depletesAt: burn.depletesAt,
    resetsAt: burn.resetsAt,
    beforeReset: burn.beforeReset,
    text: describeForecast(burn, now),
  });
  return { ...one(forecast), parts: (forecast.parts ?? []).map((part) => ({ name: part.name, ...one(part) })) };
}

/** `GET /api/history`: one account's readings, oldest first, the newest `limit` of them. */
export function historyDocument(
  account: { provider: string | undefined; account: string },
  since: Date,
  readings: readonly Reading[],
  limit: number,
) {
  const kept = readings.length > limit ? readings.slice(readings.length - limit) : readings;
  return {
    provider: account.provider,
    account: account.account,
    since,
    truncated: kept.length < readings.length,
    readings: kept.map((reading) => ({
      provider: reading.provider,
      account: reading.account,
      at: reading.at,
      ok: reading.ok,
      remaining: reading.remaining,
      limit: reading.limit,
      unit: reading.unit,
      unlimited: reading.unlimited,
      status: reading.status,
      parts: reading.parts.map((part) => ({ name: part.name, remaining: part.remaining, limit: part.limit })),
      errorKind: reading.errorKind,
    })),
  };
}
