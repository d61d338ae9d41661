import { AiCreditsError } from '@aicredits/core';
import type { BalanceResult } from '../balance-result.js';

/** The `--json` document: dates as ISO strings, errors as their own `toJSON()` (never the API key). */
export function resultsToJson(results: readonly BalanceResult[], fetchedAt: Date): string {
  const document = {
    ok: results.every((result) => result.ok && !result.low),
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
  return `${JSON.stringify(document, null, 2)}\n`;
}
