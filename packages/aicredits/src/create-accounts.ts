import { systemClock, TimeoutError, UserAbortError } from '@aicredits/core';
import { accountLabel, type AccountConfig, type AccountsConfig } from './account-config.js';
import { isLow, type BalanceResult } from './balance-result.js';
import { limitConcurrency } from './limit-concurrency.js';
import { checksFor, defaultBaseURL, type BalanceCheck } from './providers.js';

export interface BalancesOptions {
  /** Aborts every pending request; accounts not done yet fail with `UserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Called as each account finishes, e.g. to show progress. */
  onResult?: ((result: BalanceResult) => void) | undefined;
}

export interface Accounts {
  /** Every configured account's balance, concurrently, in configuration order; never rejects for one account. */
  balances(options?: BalancesOptions): Promise<BalanceResult[]>;
}

export function createAccounts(config: AccountsConfig): Accounts {
  const concurrency = config.concurrency ?? 8;
  const accountTimeout = config.accountTimeout ?? 60_000;
  const settings = config.settings ?? {};
  // The budget's timer comes from the same clock as the clients' timeouts, so tests can fire it.
  const startTimer = settings._internal?.clock?.startTimer ?? systemClock.startTimer;

  return {
    async balances({ signal, onResult } = {}) {
      const limit = limitConcurrency(concurrency);
      const callerSignal = signal ?? new AbortController().signal;

      // Runs `task` within the account's time budget, turning our own cut-off into a TimeoutError.
      const withBudget = async <T>(account: AccountConfig, task: (signal: AbortSignal) => Promise<T>): Promise<T> => {
        const budget = new AbortController();
        const cancelBudget = startTimer(accountTimeout, () => budget.abort());
        try {
          return await task(AbortSignal.any([callerSignal, budget.signal]));
        } catch (error) {
          if (budget.signal.aborted && !callerSignal.aborted && UserAbortError.isInstance(error)) {
            throw new TimeoutError({
              provider: account.provider,
              url: account.baseURL ?? defaultBaseURL(account.provider) ?? '',
              attempts: 0,
              timeoutMs: accountTimeout,
              cause: error,
              message: `${account.provider}: no balance from ${account.baseURL ?? defaultBaseURL(account.provider)} within the account's time budget of ${accountTimeout} ms (accountTimeout), retries included`,
            });
          }
          throw error;
        } finally {
          cancelBudget();
        }
      };

      const settle = (account: AccountConfig, label: string, run: () => Promise<BalanceResult>) =>
        limit(async (): Promise<BalanceResult> => {
          const min = account.min ?? config.min;
          let result: BalanceResult;
          try {
            result = await run();
          } catch (error) {
            result = { ok: false, provider: account.provider, account: label, min, error: asError(error) };
          }
          onResult?.(result);
          return result;
        });

      const check = (account: AccountConfig, { label, fetch }: BalanceCheck) =>
        settle(account, label, async () => {
          const balance = await withBudget(account, (budgetSignal) => fetch({ signal: budgetSignal }));
          const min = account.min ?? config.min;
          return { ok: true, provider: account.provider, account: label, min, balance, low: isLow(balance, min) };
        });

      const perAccount = config.accounts.map(async (account): Promise<BalanceResult[]> => {
        let checks: BalanceCheck[];
        try {
          // PixVerse discovery is a request too, so it waits for a slot like the checks do.
          checks = await limit(() =>
            withBudget(account, (budgetSignal) => checksFor(account, settings, { signal: budgetSignal })),
          );
        } catch (error) {
          return [await settle(account, accountLabel(account), () => Promise.reject(error))];
        }
        return Promise.all(checks.map((found) => check(account, found)));
      });
      return (await Promise.all(perAccount)).flat();
    },
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
