import { InvalidResponseError } from '@aicredits/core';

/**
 * The most balances one configured account may expand into (PixVerse `allAccounts`): a listing is a
 * few hundred bytes an account, so the response cap alone would let one answer start 100 000 requests.
 */
export const maxDiscoveredAccounts = 100;

/** Refuses a discovery listing longer than `maxDiscoveredAccounts`, before any of its requests. */
export function checkDiscoveredCount(found: number, where: { provider: string; operation: string; url: string }): void {
  if (found <= maxDiscoveredAccounts) return;
  throw new InvalidResponseError({
    ...where,
    status: 200,
    rawBody: '',
    reason: `the listing names ${found} accounts; one configured account checks at most ${maxDiscoveredAccounts}: configure the ones to check by "email" instead of allAccounts`,
  });
}
