import type { Balance } from '@aicredits/core';

interface BalanceResultBase {
  /** The provider's id: a built-in one (`ProviderId`) or a third-party module's. */
  provider: string;
  /** The account's label. */
  account: string;
  /** The threshold that applied, if any. */
  min: number | undefined;
}

export interface BalanceSuccess extends BalanceResultBase {
  ok: true;
  balance: Balance;
  /**
   * Below `min`, or `min` is set and the remaining amount is unknown (an alert cannot assume there
   * is enough). Never true for an unlimited account.
   */
  low: boolean;
}

export interface BalanceFailure extends BalanceResultBase {
  ok: false;
  /** Usually an `AiCreditsError` subclass: check with e.g. `AuthenticationError.isInstance(error)`. */
  error: Error;
}

/** One account's outcome: `balances()` never fails as a whole because one account did. */
export type BalanceResult = BalanceSuccess | BalanceFailure;

/** What a monitor should alert on: a failed check, a low balance, or a plan that has expired. */
export function needsAttention(result: BalanceResult): boolean {
  return !result.ok || result.low || result.balance.status === 'expired';
}

export function isLow(balance: Balance, min: number | undefined): boolean {
  if (min === undefined || balance.unlimited) return false;
  return balance.remaining === undefined || balance.remaining < min;
}
