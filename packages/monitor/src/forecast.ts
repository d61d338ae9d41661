import type { Reading } from './reading.js';

const day = 86_400_000;

/** How fast one pot is being spent, and when it runs out at that pace. */
export interface BurnForecast {
  /** Spent per day over the current segment; 0 when flat or rising; `undefined` without enough readings. */
  burnPerDay: number | undefined;
  /** When `remaining` reaches 0 at that pace; `undefined` when it never does or is not known. */
  depletesAt: Date | undefined;
  /** The next refill that would save it: the plan's renewal or the part's reset. */
  resetsAt: Date | undefined;
  /** `true`: runs out before that refill; `false`: the refill comes first; `undefined`: no refill known. */
  beforeReset: boolean | undefined;
  /** The readings the rate is based on, and when the segment started (after the last top-up or reset). */
  samples: number;
  segmentStart: Date | undefined;
}

export interface Forecast extends BurnForecast {
  provider: string;
  account: string;
  remaining: number | undefined;
  unit: string | undefined;
  /** The same per part whose amount the provider tells, e.g. a daily pot that resets on its own. */
  parts: (BurnForecast & { name: string; remaining: number | undefined })[];
}

/** Below this span a rate is noise: a minute's spend says little about a day's. */
export const minimumSegmentMs = 10 * 60_000;

/**
 * The burn rate from one account's readings (time order), over its current segment: a rise (a
 * top-up, a monthly reset) starts a new segment rather than counting as negative spend.
 */
export function forecastAccount(readings: readonly Reading[], now: Date): Forecast | undefined {
  const usable = readings.filter((reading) => reading.ok && !reading.unlimited);
  const latest = usable.at(-1);
  if (latest === undefined) return undefined;
  const renewal = futureDate(latest.renewsAt, now);
  const whole = burn(
    usable.map((reading) => ({ at: reading.at.getTime(), remaining: reading.remaining })),
    renewal,
  );
  const partNames = [...new Set(latest.parts.map((part) => part.name))];
  return {
    provider: latest.provider,
    account: latest.account,
    remaining: latest.remaining,
    unit: latest.unit,
    ...whole,
    parts: partNames.map((name) => {
      const points = usable.flatMap((reading) => {
        const part = reading.parts.find((candidate) => candidate.name === name);
        return part === undefined ? [] : [{ at: reading.at.getTime(), remaining: part.remaining }];
      });
      const latestPart = latest.parts.find((part) => part.name === name)!;
      return {
        name,
        remaining: latestPart.remaining,
        ...burn(points, futureDate(latestPart.resetsAt, now) ?? futureDate(latestPart.expiresAt, now) ?? renewal),
      };
    }),
  };
}

function burn(
  points: readonly { at: number; remaining: number | undefined }[],
  resetsAt: Date | undefined,
): BurnForecast {
  const known = points.filter((point): point is { at: number; remaining: number } => point.remaining !== undefined);
  let start = known.length - 1;
  // Walk back to the last rise: everything after it is one stretch of spending.
  while (start > 0 && known[start - 1]!.remaining >= known[start]!.remaining) start--;
  const segment = known.slice(start);
  const first = segment[0];
  const last = segment.at(-1);
  const none = { burnPerDay: undefined, depletesAt: undefined, resetsAt, beforeReset: undefined };
  if (first === undefined || last === undefined) return { ...none, samples: 0, segmentStart: undefined };
  const summary = { samples: segment.length, segmentStart: new Date(first.at) };
  if (segment.length < 2 || last.at - first.at < minimumSegmentMs) return { ...none, ...summary };

  const perMs = Math.max(0, -slope(segment));
  const burnPerDay = perMs * day;
  if (perMs === 0 || last.remaining <= 0) {
    const depletesAt = last.remaining <= 0 ? new Date(last.at) : undefined;
    return { ...none, ...summary, burnPerDay, depletesAt, beforeReset: compare(depletesAt, resetsAt) };
  }
  const at = last.at + last.remaining / perMs;
  // Far beyond any plan: a date a Date cannot hold or nobody cares about.
  const depletesAt = at - last.at > 100 * 365 * day ? undefined : new Date(Math.round(at));
  return { burnPerDay, depletesAt, resetsAt, beforeReset: compare(depletesAt, resetsAt), ...summary };
}

/** Least-squares slope of remaining over time, so one odd reading does not swing the rate. */
function slope(points: readonly { at: number; remaining: number }[]): number {
  const origin = points[0]!.at;
  const n = points.length;
  let sumX = 0;
  let sumY = 0;
  for (const point of points) {
    sumX += point.at - origin;
    sumY += point.remaining;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    const dx = point.at - origin - meanX;
    covariance += dx * (point.remaining - meanY);
    variance += dx * dx;
  }
  return variance === 0 ? 0 : covariance / variance;
}

function compare(depletesAt: Date | undefined, resetsAt: Date | undefined): boolean | undefined {
  if (resetsAt === undefined) return undefined;
  if (depletesAt === undefined) return false;
  return depletesAt.getTime() < resetsAt.getTime();
}

function futureDate(date: Date | undefined, now: Date): Date | undefined {
  return date !== undefined && date.getTime() > now.getTime() ? date : undefined;
}

/** "runs out ~Dec 4, before renewal Dec 15" / "no spend seen" / "" when nothing can be said. */
export function describeForecast(forecast: BurnForecast, now: Date): string {
  if (forecast.burnPerDay === undefined) return '';
  if (forecast.depletesAt === undefined) {
    return forecast.burnPerDay === 0 ? 'no spend seen' : `burns ${round(forecast.burnPerDay)}/day`;
  }
  const when =
    forecast.depletesAt.getTime() <= now.getTime() ? 'ran out' : `runs out ~${shortDate(forecast.depletesAt, now)}`;
  const refill =
    forecast.resetsAt === undefined
      ? ''
      : `, ${forecast.beforeReset ? 'before' : 'after'} renewal ${shortDate(forecast.resetsAt, now)}`;
  return `${when}${refill} (${round(forecast.burnPerDay)}/day)`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function shortDate(date: Date, now: Date): string {
  const text = `${months[date.getUTCMonth()]} ${date.getUTCDate()}`;
  return date.getUTCFullYear() === now.getUTCFullYear() ? text : `${text} ${date.getUTCFullYear()}`;
}

function round(value: number): string {
  if (value >= 100) return String(Math.round(value));
  return String(Number.parseFloat(value.toPrecision(3)));
}
