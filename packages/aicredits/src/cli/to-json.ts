import { AiCreditsError } from '@aicredits/core';
import { needsAttention, type BalanceResult } from '../balance-result.js';

/**
 * The `--json` document: dates as ISO strings, errors as their own `toJSON()` (never the API key),
 * and `null` for what is not known, so that every field is always present.
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
            balance: result.balance,
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
  return `${JSON.stringify(document, (_key, value: unknown) => (value === undefined ? null : value), 2)}\n`;
}
