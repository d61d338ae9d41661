import { createBalance } from '@aicredits/core/provider-utils';
import { describe, expect, it } from 'vitest';

import { parseTable } from '../testing/parse-table.js';
import { noColors, renderTable } from './render-table.js';
import { resultsToJson } from './to-json.js';

const fetchedAt = new Date('2026-01-01T00:00:00Z');
const result = (unitAssumed: boolean | undefined) => ({
  ok: true as const,
  provider: 'iqqz',
  account: unitAssumed ? 'assumed' : 'published',
  min: undefined,
  low: false,
  balance: createBalance('iqqz', { fetchedAt }, { unit: 'USD', unitAssumed, remaining: 2.5, raw: {} }),
});

describe('a unit nobody knows for sure', () => {
  it('is marked in the table', () => {
    const { rows } = parseTable(renderTable([result(true), result(undefined)], noColors));
    expect(rows.map((row) => [row.ACCOUNT, row.UNIT])).toEqual([
      ['assumed', 'USD (assumed)'],
      ['published', 'USD'],
    ]);
  });

  it('is a field of the JSON, false unless assumed', () => {
    const json = JSON.parse(resultsToJson([result(true), result(undefined)], fetchedAt)) as {
      results: { balance: { unitAssumed: boolean } }[];
    };
    expect(json.results.map((entry) => entry.balance.unitAssumed)).toEqual([true, false]);
  });
});
