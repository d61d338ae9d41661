/**
 * The mock's credits that run down drive a real forecast: readings taken through the facade from a
 * draining mock, on the mock's injected clock, give the burn rate the mock was told and the day the
 * credits run out.
 */
import { type MockServers, startMockServers } from '@aicredits/mock';
import { createAccounts } from 'aicredits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { forecastAccount } from './forecast.js';
import { type Reading, readingFromResult } from './reading.js';

const hour = 3_600_000;
let now = Date.parse('2030-06-01T00:00:00Z');
let servers: MockServers<'imaginepro'>;

beforeAll(async () => {
  servers = await startMockServers({
    providers: ['imaginepro'],
    scenarios: { imaginepro: 'no-extra' },
    // 10 credits an hour: 240 a day.
    drain: { imaginepro: { amount: 10, everyMs: hour } },
    dates: 'current',
    clock: { now: () => now },
  });
});
afterAll(async () => {
  await servers?.close();
});

describe('a draining mock account', () => {
  it('gives the forecast its burn rate and the day its credits run out', async () => {
    const accounts = createAccounts({
      accounts: [{ provider: 'imaginepro', apiKey: 'sk-forecast-KEY-0123456789', baseURL: servers.urls.imaginepro }],
    });
    const readings: Reading[] = [];
    for (let index = 0; index < 6; index++) {
      const [result] = await accounts.balances();
      if (result === undefined) throw new Error('no result');
      readings.push(readingFromResult(result, new Date(now)));
      now += hour;
    }
    expect(readings.map((reading) => reading.remaining)).toEqual([1240, 1230, 1220, 1210, 1200, 1190]);

    const forecast = forecastAccount(readings, new Date(now));
    expect(forecast?.burnPerDay).toBeCloseTo(240, 6);
    // 1190 left at 240 a day, from the last reading (5 hours after the first).
    const lastAt = readings.at(-1)?.at.getTime() ?? 0;
    expect(forecast?.depletesAt?.getTime()).toBeCloseTo(lastAt + (1190 / 240) * 24 * hour, -3);
  });
});
