import { type AccountView, alertKinds } from './account-families.js';
import { type BurnForecast, describeForecast } from './forecast.js';
import type { Reading } from './reading.js';

/**
 * `GET /api/balances`: the shape of `aicredits balances --json` (`ok`, `fetchedAt`, one result per
 * account with `ok`, `provider`, `account`, `min`, and `balance` or `error`), built from the
 * monitor's latest readings rather than new requests, plus what the monitor knows: `forecast`,
 * active `alerts`, `checkedAt`. A failing account keeps its last known `balance`. Every field is
 * always present (`null` when unknown); the provider's raw response is not included.
 */
export function balancesDocument(views: readonly AccountView[], now: Date, refreshSeconds: number) {
  const results = views.map((view) => {
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
  });
  const checked = views.flatMap((view) => (view.latest === undefined ? [] : [view.latest.at.getTime()]));
  return {
    ok: results.every((result) => result.ok && !result.low && result.alerts.length === 0),
    fetchedAt: checked.length === 0 ? undefined : new Date(Math.max(...checked)),
    refreshSeconds,
    results,
  };
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
