import { formatDuration } from './duration.js';
import { describeForecast, type Forecast } from './forecast.js';
import { isPermanentFailure, type Reading } from './reading.js';
import type { AlertRules } from './watch-config.js';

const day = 86_400_000;

/** What can be wrong with an account, each with its own notifications. */
export type AlertKind = 'low' | 'depleting' | 'expiring' | 'expired' | 'failing';

export interface ActiveAlert {
  /** When the condition started (Unix ms). */
  since: number;
  /** When it was last notified (Unix ms). */
  notifiedAt: number;
  detail: string;
}

/** One account's persisted alert state: what is active and how many checks in a row failed. */
export interface AlertState {
  active: Partial<Record<AlertKind, ActiveAlert>>;
  failures: number;
}

/** One notification-worthy change of one account. */
export interface AlertEvent {
  kind: AlertKind;
  change: 'started' | 'repeated' | 'recovered';
  provider: string;
  account: string;
  /** ISO time of the reading. */
  at: string;
  /** Plain text; provider text inside is untrusted (notifiers render it safely). */
  detail: string;
  remaining: number | undefined;
  limit: number | undefined;
  unit: string | undefined;
  plan: string | undefined;
  forecast: string | undefined;
}

export const emptyAlertState: AlertState = { active: {}, failures: 0 };

/**
 * The next state and the notifications it causes: one on each transition (ok → low, low → ok
 * "recovered", → failing, → expired), repeated only after `rules.repeatMs` while it lasts.
 */
export function nextAlertState(
  previous: AlertState | undefined,
  reading: Reading,
  rules: AlertRules,
  forecast: Forecast | undefined,
): { state: AlertState; events: AlertEvent[] } {
  const before = previous ?? emptyAlertState;
  const now = reading.at.getTime();
  const conditions = currentConditions(before, reading, rules, forecast);
  const state: AlertState = { active: {}, failures: reading.ok ? 0 : before.failures + 1 };
  const events: AlertEvent[] = [];
  const event = (kind: AlertKind, change: AlertEvent['change'], detail: string): AlertEvent => ({
    kind,
    change,
    provider: reading.provider,
    account: reading.account,
    at: reading.at.toISOString(),
    detail,
    remaining: reading.remaining,
    limit: reading.limit,
    unit: reading.unit,
    plan: reading.plan,
    forecast: forecast === undefined ? undefined : describeForecast(forecast, reading.at) || undefined,
  });

  for (const kind of alertKinds) {
    const was = before.active[kind];
    const detail =
      kind === 'failing' && !reading.ok && conditions.failing !== undefined
        ? failingDetail(reading, state.failures)
        : conditions[kind];
    if (detail === undefined) {
      if (was !== undefined) events.push(event(kind, 'recovered', recoveredDetail(kind, was, now)));
      continue;
    }
    if (was === undefined) {
      state.active[kind] = { since: now, notifiedAt: now, detail };
      events.push(event(kind, 'started', detail));
    } else if (now - was.notifiedAt >= rules.repeatMs) {
      state.active[kind] = { since: was.since, notifiedAt: now, detail };
      events.push(event(kind, 'repeated', `${detail} (for ${formatDuration(now - was.since)})`));
    } else {
      // Not `{ ...was, detail }`: a property after a spread is V8's slow path, and this runs for
      // every reading of an account in a lasting condition.
      state.active[kind] = { since: was.since, notifiedAt: was.notifiedAt, detail };
    }
  }
  return { state, events };
}

const alertKinds: readonly AlertKind[] = ['expired', 'failing', 'low', 'depleting', 'expiring'];

/** Each active condition's detail; a failed check keeps the balance conditions as they were. */
function currentConditions(
  before: AlertState,
  reading: Reading,
  rules: AlertRules,
  forecast: Forecast | undefined,
): Partial<Record<AlertKind, string>> {
  if (!reading.ok) {
    const kept: Partial<Record<AlertKind, string>> = {};
    for (const kind of ['expired', 'low', 'depleting', 'expiring'] as const) {
      const was = before.active[kind];
      if (was !== undefined) kept[kind] = was.detail;
    }
    const failures = before.failures + 1;
    if (isPermanentFailure(reading.errorKind) || failures >= rules.failures) kept.failing = 'failing';
    else if (before.active.failing !== undefined) kept.failing = before.active.failing.detail;
    return kept;
  }
  const now = reading.at.getTime();
  const conditions: Partial<Record<AlertKind, string>> = {};
  const amount = (value: number | undefined) =>
    `${value ?? '?'}${reading.unit === undefined ? '' : ` ${reading.unit}`}`;
  if (!reading.unlimited) {
    const belowMin = reading.min !== undefined && (reading.remaining === undefined || reading.remaining < reading.min);
    const percent =
      reading.remaining !== undefined && reading.limit !== undefined && reading.limit > 0
        ? (reading.remaining / reading.limit) * 100
        : undefined;
    const belowPercent = rules.belowPercent !== undefined && percent !== undefined && percent < rules.belowPercent;
    if (belowMin) conditions.low = `${amount(reading.remaining)} left, below the minimum of ${reading.min}`;
    else if (belowPercent) {
      conditions.low = `${amount(reading.remaining)} left, ${Number(percent!.toFixed(1))}% of ${reading.limit}, below ${rules.belowPercent}%`;
    }
  }
  if (
    rules.depletionDays !== undefined &&
    forecast?.depletesAt !== undefined &&
    forecast.beforeReset !== false &&
    forecast.depletesAt.getTime() - now <= rules.depletionDays * day
  ) {
    conditions.depleting = describeForecast(forecast, reading.at);
  }
  const expired =
    reading.status === 'expired' || (reading.expiresAt !== undefined && reading.expiresAt.getTime() <= now);
  if (expired)
    conditions.expired = `the plan expired${reading.expiresAt ? ` on ${reading.expiresAt.toISOString().slice(0, 10)}` : ''}`;
  else if (
    rules.expiringDays !== undefined &&
    reading.expiresAt !== undefined &&
    reading.expiresAt.getTime() - now <= rules.expiringDays * day &&
    // A plan that renews before it would expire is not expiring.
    !(
      reading.renewsAt !== undefined &&
      reading.renewsAt.getTime() > now &&
      reading.renewsAt.getTime() <= reading.expiresAt.getTime()
    )
  ) {
    conditions.expiring = `the plan expires on ${reading.expiresAt.toISOString().slice(0, 10)}, in ${formatDuration(reading.expiresAt.getTime() - now)}`;
  }
  return conditions;
}

function failingDetail(reading: Reading, failures: number): string {
  const kind = reading.errorKind ?? 'other';
  const message = reading.errorMessage === undefined ? '' : `: ${reading.errorMessage}`;
  return `${failures} failed check(s) in a row (${kind})${message}`;
}

function recoveredDetail(kind: AlertKind, was: ActiveAlert, now: number): string {
  const lasted = `after ${formatDuration(now - was.since)}`;
  switch (kind) {
    case 'failing':
      return `answering again ${lasted}`;
    case 'expired':
      return `the plan is active again ${lasted}`;
    default:
      return `back to normal ${lasted}`;
  }
}
