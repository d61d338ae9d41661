import { AiCreditsError } from '@aicredits/core';

import { type BalanceResult, needsAttention } from '../balance-result.js';
import { jsonSafeValue } from './json-safe-value.js';
import { escapeForJson } from './terminal-safe-text.js';

/**
 * The `--json` document: dates as ISO strings, errors as their own `toJSON()` (never the API key),
 * and `null` for what is not known, so that every field is always present. C1 and bidi characters
 * are escaped like C0 ones, and nesting deeper than 32 levels is replaced by a marker.
 */
export function resultsToJson(results: readonly BalanceResult[], fetchedAt: Date): string {
  const document = {
    ok: !results.some(needsAttention),
    fetchedAt,
    results: results.map((result) =>
      result.ok
        ? {
            ok: true,
            provider: result.provider,
            account: result.account,
            min: result.min,
            low: result.low,
            balance: { ...result.balance, unitAssumed: result.balance.unitAssumed ?? false },
          }
        : {
            ok: false,
            provider: result.provider,
            account: result.account,
            min: result.min,
            error: AiCreditsError.isInstance(result.error)
              ? result.error.toJSON()
              : { name: result.error.name, message: result.error.message },
          },
    ),
  };
  // One hostile account's body (nested a million levels, a throwing getter) must not cost the others' results.
  return `${escapeForJson(JSON.stringify(jsonSafeValue(document), null, 2))}\n`;
}
