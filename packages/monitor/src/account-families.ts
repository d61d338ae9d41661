import type { AlertKind, AlertState } from './alert-state.js';
import type { Forecast } from './forecast.js';
import type { Reading, ReadingPart } from './reading.js';

/** What the metrics, the JSON API and the dashboard know of one account. */
export interface AccountView {
  provider: string;
  /** The account's label. */
  account: string;
  /** The configured threshold, if any. */
  min: number | undefined;
  /** The newest check, successful or not; `undefined` before the first one. */
  latest: Reading | undefined;
  /** The newest successful reading: what the balance gauges show while checks fail. */
  lastSuccess: Reading | undefined;
  /** `used` of the newest balance seen by this process (readings do not store it). */
  used: number | undefined;
  forecast: Forecast | undefined;
  alerts: AlertState | undefined;
}

export const alertKinds: readonly AlertKind[] = ['low', 'depleting', 'expiring', 'expired', 'failing'];

interface Family {
  name: string;
  help: string;
  /** Samples of one account: `[extra labels, value]`; nothing for what is not known (never a made-up 0). */
  samples(view: AccountView): Iterable<readonly [extraLabels: string, value: number]>;
}

const seconds = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

function* one(value: number | undefined): Iterable<readonly [string, number]> {
  if (value !== undefined && !Number.isNaN(value)) yield ['', value];
}

function* perPart(
  view: AccountView,
  pick: (part: ReadingPart) => number | undefined,
): Iterable<readonly [string, number]> {
  for (const part of view.lastSuccess?.parts ?? []) {
    const value = pick(part);
    if (value !== undefined && !Number.isNaN(value)) yield [`,part="${escapeLabelValue(part.name)}"`, value];
  }
}

function nextReset(reading: Reading | undefined): Date | undefined {
  let next: Date | undefined;
  for (const part of reading?.parts ?? []) {
    if (part.resetsAt !== undefined && (next === undefined || part.resetsAt < next)) next = part.resetsAt;
  }
  return next;
}

/**
 * The per-account gauge families. Names follow the Prometheus conventions: an `aicredits_` prefix,
 * base units (`_seconds` since the epoch for times), amounts in the account's own unit, which its
 * `unit` label names.
 */
export const accountFamilies: readonly Family[] = [
  {
    name: 'aicredits_balance_remaining',
    help: 'Credits left, in the unit the unit label names.',
    samples: (view) => one(view.lastSuccess?.remaining),
  },
  {
    name: 'aicredits_balance_limit',
    help: 'The allowance the remaining amount counts down from, when the provider tells it.',
    samples: (view) => one(view.lastSuccess?.limit),
  },
  {
    name: 'aicredits_balance_used',
    help: 'Credits used, when the provider tells it.',
    samples: (view) => one(view.used),
  },
  {
    name: 'aicredits_balance_unlimited',
    help: '1 when the account has no limit at all (remaining and limit are then absent), else 0.',
    samples: (view) => one(view.lastSuccess === undefined ? undefined : view.lastSuccess.unlimited ? 1 : 0),
  },
  {
    name: 'aicredits_balance_min',
    help: "The account's configured alert threshold (min), when set.",
    samples: (view) => one(view.min),
  },
  {
    name: 'aicredits_part_remaining',
    help: 'Credits left in one part (pot) of the balance, named by the part label.',
    samples: (view) => perPart(view, (part) => part.remaining),
  },
  {
    name: 'aicredits_part_limit',
    help: "One part's allowance, when the provider tells it.",
    samples: (view) => perPart(view, (part) => part.limit),
  },
  {
    name: 'aicredits_part_reset_timestamp_seconds',
    help: 'When one part is refilled, as Unix time.',
    samples: (view) => perPart(view, (part) => seconds(part.resetsAt)),
  },
  {
    name: 'aicredits_part_expiry_timestamp_seconds',
    help: 'When one part stops counting, as Unix time.',
    samples: (view) => perPart(view, (part) => seconds(part.expiresAt)),
  },
  {
    name: 'aicredits_next_reset_timestamp_seconds',
    help: 'The earliest refill of any part, as Unix time.',
    samples: (view) => one(seconds(nextReset(view.lastSuccess))),
  },
  {
    name: 'aicredits_plan_expiry_timestamp_seconds',
    help: 'When the plan or token ends, as Unix time.',
    samples: (view) => one(seconds(view.lastSuccess?.expiresAt)),
  },
  {
    name: 'aicredits_plan_renewal_timestamp_seconds',
    help: 'The next renewal or payment, as Unix time.',
    samples: (view) => one(seconds(view.lastSuccess?.renewsAt)),
  },
  {
    name: 'aicredits_forecast_depletion_timestamp_seconds',
    help: 'When the burn-rate forecast expects the balance to reach 0, as Unix time; absent when it does not.',
    samples: (view) => one(seconds(view.forecast?.depletesAt)),
  },
  {
    name: 'aicredits_last_success_timestamp_seconds',
    help: 'The last successful check, as Unix time.',
    samples: (view) => one(seconds(view.lastSuccess?.at)),
  },
  {
    name: 'aicredits_last_check_timestamp_seconds',
    help: 'The last finished check, successful or not, as Unix time.',
    samples: (view) => one(seconds(view.latest?.at)),
  },
  {
    name: 'aicredits_last_check_success',
    help: '1 when the last check succeeded, 0 when it failed.',
    samples: (view) => one(view.latest === undefined ? undefined : view.latest.ok ? 1 : 0),
  },
  {
    name: 'aicredits_alert_active',
    help: "1 for each of the monitor's alerts (low, depleting, expiring, expired, failing; the alert label) active on the account; absent when none is.",
    samples: function* (view) {
      for (const kind of alertKinds) if (view.alerts?.active[kind] !== undefined) yield [`,alert="${kind}"`, 1];
    },
  },
  {
    name: 'aicredits_account_info',
    help: "Always 1; the plan (as the provider spells it) and status of the account's latest reading as labels.",
    samples: function* (view) {
      if (view.lastSuccess === undefined) return;
      yield [
        `,plan="${escapeLabelValue(view.lastSuccess.plan ?? '')}",status="${escapeLabelValue(view.lastSuccess.status ?? 'unknown')}"`,
        1,
      ];
    },
  },
];

/**
 * A label value in the text exposition format: backslash, double quote and line feed escaped.
 * Everything else passes through as UTF-8 (a lone surrogate becomes U+FFFD when encoded), so a
 * hostile account or plan name can neither end the label nor start a new sample.
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`));
}

export function formatSampleValue(value: number): string {
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
}
