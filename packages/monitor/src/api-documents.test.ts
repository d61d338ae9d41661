import { gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import type { AccountView } from './account-families.js';
import { createBalancesDocument } from './api-documents.js';
import { gzipChunks } from './encoded-blocks.js';
import type { Forecast } from './forecast.js';
import { reading } from './testing/readings.js';

const at = new Date('2026-12-01T00:00:00Z');
const depletesAt = new Date('2026-12-03T00:00:00Z');

function view(account: string, forecast: Forecast | undefined): AccountView {
  const latest = reading({ at, account });
  return {
    provider: 'crowdcomputed',
    account,
    min: 50,
    latest,
    lastSuccess: latest,
    used: 900,
    forecast,
    alerts: undefined,
  };
}

const forecast: Forecast = {
  provider: 'crowdcomputed',
  account: 'studio',
  remaining: 100,
  unit: 'points',
  burnPerDay: 50,
  depletesAt,
  resetsAt: undefined,
  beforeReset: undefined,
  samples: 3,
  segmentStart: at,
  parts: [],
};

const served = (document: ReturnType<typeof createBalancesDocument>) =>
  JSON.parse(gunzipSync(Buffer.concat(gzipChunks(document.blocks()))).toString()) as {
    ok: boolean;
    results: { account: string; forecast: { text: string } | null }[];
  };

describe('createBalancesDocument', () => {
  it('serves updates after the next rebuild, the head (ok) with the results it was built with', () => {
    const document = createBalancesDocument({ refreshSeconds: 30 });
    document.update([view('studio', forecast)], at);
    expect(served(document).ok).toBe(true);
    document.update([{ ...view('studio', forecast), min: 500 }], at);
    // Low now, but not served until the rebuild: neither in the results nor in the head.
    expect(served(document).ok).toBe(true);
    expect(document.rebuild()).toBe(true);
    expect(served(document).ok).toBe(false);
  });

  it('hands back the views whose forecast text changes with the date alone, once their time has come', () => {
    const document = createBalancesDocument({ refreshSeconds: 30 });
    document.update([view('studio', forecast), view('plain', undefined)], at);
    expect(served(document).results.find((result) => result.account === 'studio')!.forecast!.text).toBe(
      'runs out ~Dec 3 (50/day)',
    );
    expect(document.due(new Date('2026-12-02T23:59:59Z'))).toEqual([]);
    const later = new Date('2026-12-03T00:00:01Z');
    const due = document.due(later);
    expect(due.map((entry) => entry.account)).toEqual(['studio']);
    document.update(due, later);
    document.rebuild();
    expect(served(document).results.find((result) => result.account === 'studio')!.forecast!.text).toBe(
      'ran out (50/day)',
    );
    expect(document.due(later)).toEqual([]);
  });
});
