import { describe, expect, it } from 'vitest';

import { type AlertState, nextAlertState } from './alert-state.js';
import { forecastAccount } from './forecast.js';
import type { Reading } from './reading.js';
import { reading } from './testing/readings.js';
import { type AlertRules, watchDefaults } from './watch-config.js';

const hour = 3_600_000;
const day = 24 * hour;
const start = Date.parse('2026-12-01T00:00:00Z');
const rules: AlertRules = { ...watchDefaults.alerts };

/** Feeds readings one by one; returns each step's events as `kind:change`. */
function run(readings: readonly Reading[], withRules: AlertRules = rules, initial?: AlertState) {
  let state = initial;
  return readings.map((current) => {
    const outcome = nextAlertState(state, current, withRules, undefined);
    state = outcome.state;
    return outcome.events.map((event) => `${event.kind}:${event.change}`).join(',');
  });
}

describe('nextAlertState', () => {
  it('low on crossing min, quiet while it lasts, recovered when back above', () => {
    const values = [600, 450, 400, 300, 700];
    const readings = values.map((remaining, index) =>
      reading({ at: new Date(start + index * hour), remaining, min: 500 }),
    );
    expect(run(readings)).toEqual(['', 'low:started', '', '', 'low:recovered']);
  });

  it('below a percentage of the limit', () => {
    const readings = [200, 90].map((remaining, index) =>
      reading({ at: new Date(start + index * hour), remaining, limit: 1000 }),
    );
    expect(run(readings, { ...rules, belowPercent: 10 })).toEqual(['', 'low:started']);
  });

  it('repeats after the repeat period, not before', () => {
    const readings = [0, 1, 23, 24, 25, 48].map((hours) =>
      reading({ at: new Date(start + hours * hour), remaining: 1, min: 500 }),
    );
    expect(run(readings)).toEqual(['low:started', '', '', 'low:repeated', '', 'low:repeated']);
  });

  it('a failed check leaves low as it was; transient failures alert after N in a row; auth at once', () => {
    const failed = (at: number, errorKind: Reading['errorKind']) =>
      reading({ at: new Date(at), ok: false, remaining: undefined, errorKind, errorMessage: 'boom' });
    const steps = [
      reading({ at: new Date(start), remaining: 1, min: 500 }),
      failed(start + hour, 'timeout'),
      failed(start + 2 * hour, 'server'),
      failed(start + 3 * hour, 'rate-limit'),
      reading({ at: new Date(start + 4 * hour), remaining: 1, min: 500 }),
    ];
    expect(run(steps)).toEqual(['low:started', '', '', 'failing:started', 'failing:recovered']);
    expect(run([failed(start, 'authentication')])).toEqual(['failing:started']);
  });

  it('expired and expiring, but not expiring when the plan renews first', () => {
    const expiring = reading({ at: new Date(start), expiresAt: new Date(start + 3 * day) });
    const renewing = reading({
      at: new Date(start),
      expiresAt: new Date(start + 3 * day),
      renewsAt: new Date(start + 2 * day),
    });
    const expired = reading({ at: new Date(start), status: 'expired', expiresAt: new Date(start - day) });
    expect(run([expiring])).toEqual(['expiring:started']);
    expect(run([renewing])).toEqual(['']);
    expect(run([expired, reading({ at: new Date(start + day), status: 'active' })])).toEqual([
      'expired:started',
      'expired:recovered',
    ]);
  });

  it('depleting: forecast within N days, unless a reset comes first', () => {
    const readings = [0, 1, 2].map((days) =>
      reading({ at: new Date(start + days * day), remaining: 300 - days * 100 }),
    );
    const forecast = forecastAccount(readings, new Date(start + 2 * day));
    const outcome = nextAlertState(undefined, readings[2]!, { ...rules, depletionDays: 2 }, forecast);
    expect(outcome.events.map((event) => `${event.kind}:${event.change}`)).toEqual(['depleting:started']);
    expect(outcome.events[0]!.detail).toMatch(/^runs out ~Dec 4/);
    const saved = nextAlertState(
      undefined,
      readings[2]!,
      { ...rules, depletionDays: 2 },
      { ...forecast!, beforeReset: false },
    );
    expect(saved.events).toEqual([]);
  });
});
