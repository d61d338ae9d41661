import { readProviderSpec } from '@aicredits/test-server';
import { describe, expect, it } from 'vitest';

import type { StatusEnvelope } from './billing.js';
import { displayUnitFromStatus } from './display-unit.js';

describe('displayUnitFromStatus', () => {
  it('reads each documented status example to its billing unit', () => {
    const examples = readProviderSpec('iqqz').operation('getStatus').response(200).namedExamples as [
      string,
      StatusEnvelope,
    ][];
    expect(
      Object.fromEntries(examples.map(([name, envelope]) => [name, displayUnitFromStatus(envelope.data)])),
    ).toEqual({
      newApiUsd: 'USD',
      newApiCny: 'CNY',
      newApiTokens: 'tokens',
      oneApiCurrency: 'USD',
      oneApiTokens: 'tokens',
      noDisplaySettings: undefined,
      fractional: 'USD',
      unlimited: 'USD',
      legacyUnlimited: 'USD',
    });
  });

  it("new-api's CUSTOM display still bills in dollars; quota_display_type wins over display_in_currency", () => {
    expect(displayUnitFromStatus({ quota_display_type: 'CUSTOM', custom_currency_symbol: '¤' })).toBe('USD');
    expect(displayUnitFromStatus({ quota_display_type: 'CNY', display_in_currency: false })).toBe('CNY');
    expect(displayUnitFromStatus({ quota_display_type: 'something new' })).toBeUndefined();
    expect(displayUnitFromStatus(undefined)).toBeUndefined();
  });
});
