import { describe, expect, it } from 'vitest';

import { describeForecast, forecastAccount } from './forecast.js';
import { reading } from './testing/readings.js';

const hour = 3_600_000;
const day = 24 * hour;
const start = Date.parse('2026-12-01T00:00:00Z');

describe('forecastAccount', () => {
  it('burns per day from the readings and says when the account runs out, before or after renewal', () => {
    const readings = [0, 1, 2].map((days) =>
      reading({
        at: new Date(start + days * day),
        remaining: 1000 - days * 100,
        renewsAt: new Date('2026-12-15T00:00:00Z'),
      }),
    );
    const forecast = forecastAccount(readings, new Date(start + 2 * day))!;
    expect(forecast.burnPerDay).toBeCloseTo(100);
    expect(forecast.depletesAt?.toISOString()).toBe('2026-12-11T00:00:00.000Z');
    expect(forecast.beforeReset).toBe(true);
    expect(describeForecast(forecast, new Date(start + 2 * day))).toBe(
      'runs out ~Dec 11, before renewal Dec 15 (100/day)',
    );
  });

  it('treats a rise (a top-up, a monthly reset) as the start of a new segment, not negative spend', () => {
    const values = [1000, 900, 800, 2000, 1950, 1900];
    const readings = values.map((remaining, index) => reading({ at: new Date(start + index * hour), remaining }));
    const forecast = forecastAccount(readings, new Date(start + 5 * hour))!;
    expect(forecast.samples).toBe(3);
    expect(forecast.segmentStart?.getTime()).toBe(start + 3 * hour);
    expect(forecast.burnPerDay).toBeCloseTo(50 * 24);
  });

  it('says nothing from too few readings or too short a span, and "no spend" when flat', () => {
    expect(forecastAccount([reading({ at: new Date(start) })], new Date(start))?.burnPerDay).toBeUndefined();
    const close = [0, 1].map((minutes) =>
      reading({ at: new Date(start + minutes * 60_000), remaining: 100 - minutes }),
    );
    expect(forecastAccount(close, new Date(start))?.burnPerDay).toBeUndefined();
    const flat = [0, 1, 2].map((hours) => reading({ at: new Date(start + hours * hour), remaining: 100 }));
    const forecast = forecastAccount(flat, new Date(start + 2 * hour))!;
    expect(forecast.burnPerDay).toBe(0);
    expect(forecast.depletesAt).toBeUndefined();
    expect(describeForecast(forecast, new Date(start))).toBe('no spend seen');
  });

  it('ignores failed readings and unlimited accounts', () => {
    const readings = [
      reading({ at: new Date(start), remaining: 100 }),
      reading({ at: new Date(start + hour), ok: false, remaining: undefined, errorKind: 'server' }),
      reading({ at: new Date(start + 2 * hour), remaining: 80 }),
    ];
    expect(forecastAccount(readings, new Date(start + 2 * hour))?.burnPerDay).toBeCloseTo(240);
    expect(forecastAccount([reading({ at: new Date(start), unlimited: true })], new Date(start))).toBeUndefined();
  });

  it('forecasts each part on its own schedule: a daily pot that resets before it runs out', () => {
    const readings = [0, 1, 2, 3].map((hours) =>
      reading({
        at: new Date(start + hours * hour),
        remaining: 1000 - hours * 10,
        parts: [
          {
            name: 'daily',
            remaining: 50 - hours * 10,
            limit: 50,
            resetsAt: new Date(start + day),
            expiresAt: undefined,
          },
          { name: 'permanent', remaining: 950, limit: undefined, resetsAt: undefined, expiresAt: undefined },
        ],
      }),
    );
    const forecast = forecastAccount(readings, new Date(start + 3 * hour))!;
    const [daily, permanent] = forecast.parts;
    expect(daily).toMatchObject({ name: 'daily', remaining: 20, beforeReset: true });
    expect(daily!.depletesAt?.getTime()).toBe(start + 5 * hour);
    expect(permanent).toMatchObject({ name: 'permanent', burnPerDay: 0, depletesAt: undefined });
  });
});
