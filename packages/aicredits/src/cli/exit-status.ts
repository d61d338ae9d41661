import { ConnectionError, UserAbortError } from '@aicredits/core';

import type { BalanceResult } from '../balance-result.js';
import { exitCodes } from './cli-context.js';

/**
 * The exit code for a finished check. By default 0 or 1; with `detailed`, the worst of 3 low,
 * 4 expired, 5 failed, 6 unreachable, so an alerting script can tell them apart.
 */
export function exitCodeFor(results: readonly BalanceResult[], detailed: boolean): number {
  let code: number = exitCodes.ok;
  for (const result of results) {
    const own = resultCode(result);
    if (own !== exitCodes.ok) code = detailed ? Math.max(code, own) : exitCodes.alert;
  }
  return code;
}

function resultCode(result: BalanceResult): number {
  if (!result.ok) {
    return ConnectionError.isInstance(result.error) || UserAbortError.isInstance(result.error)
      ? exitCodes.unreachable
      : exitCodes.failed;
  }
  if (result.balance.status === 'expired') return exitCodes.expired;
  return result.low ? exitCodes.low : exitCodes.ok;
}

export const exitCodesHelp = `  0  every account answered, none is below its threshold and no plan has expired
  1  an account failed, its plan has expired, or it is below its threshold (with a threshold
     set, an unknown remaining amount counts as below)
  2  bad command line or config (nothing was requested)
  130, 143  interrupted by Ctrl-C (SIGINT) or SIGTERM, after printing what had arrived
  With --detailed-exit-codes, 1 is split (the highest that applies wins):
  3  below a threshold   4  a plan has expired
  5  a provider answered with an error (e.g. a rejected key, a malformed response)
  6  a provider could not be reached or did not answer in time`;
