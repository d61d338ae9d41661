import { type ProviderModule, TimeoutError, UserAbortError } from '@aicredits/core';
import { type BalanceCheck, clockOf } from '@aicredits/core/provider-utils';

import type { AccountsConfig } from './account-config.js';
import { type BalanceResult, isLow } from './balance-result.js';
import { checkAccountsConfig } from './check-accounts-config.js';
import { limitConcurrency } from './limit-concurrency.js';
import { accountLabel, checksFor, providerRegistry } from './provider-registry.js';
import type { AnyAccountConfig } from './shared-settings.js';

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

/**
 * Every configured account, of any provider, behind one `balances()` call: checked concurrently,
 * each within its time budget, returned in configuration order as `BalanceResult`s (one account's
 * failure never rejects the call). The config is checked here (`SettingsError`, also when two
 * provider modules share an id). Third-party provider modules go in `providers`.
 *
 * @example
 * ```ts
 * import { createAccounts } from 'aicredits';
 *
 * const accounts = createAccounts({
 *   accounts: [
 *     { provider: 'imaginepro', label: 'main', apiKey: process.env.IMAGINEPRO_API_KEY },
 *     { provider: 'iqqz', label: 'gateway', unit: 'CNY', min: 10 },
 *   ],
 *   concurrency: 4,
 * });
 * for (const result of await accounts.balances()) {
 *   if (result.ok) console.log(result.account, result.balance.remaining, result.low ? 'LOW' : '');
 *   else console.error(result.account, result.error.message);
 * }
 * ```
 */
export function createAccounts<Extra extends ProviderModule = never>(config: AccountsConfig<Extra>): Accounts {
  checkAccountsConfig(config);
  const registry = providerRegistry(config.providers);
  const accountsToCheck = config.accounts as readonly AnyAccountConfig[];
  const defaultBaseURL = (provider: string) => registry.get(provider)?.definition.defaultBaseURL;
  const concurrency = config.concurrency ?? 8;
  const accountTimeout = config.accountTimeout ?? 60_000;
  const settings = config.settings ?? {};
  // The budget's timer comes from the same clock as the clients' timeouts, so tests can fire it.
  const { startTimer, now } = clockOf(settings);

  return {
    async balances({ signal, onResult } = {}) {
      const limit = limitConcurrency(concurrency);
      // A call without a signal has nothing to forward: no controller is made to stand in for one.
      const callerSignal = signal ?? neverAborted;

      // Runs `task` within the account's time budget (and the budget of the configured account it was
      // discovered under, if any), turning our own cut-off into a TimeoutError.
      const withBudget = async <T>(
        account: AnyAccountConfig,
        task: (signal: AbortSignal, deadline: number) => Promise<T>,
        group?: { signal: AbortSignal; deadline: number },
        spare?: { controller?: AbortController | undefined },
      ): Promise<T> => {
        // One controller that the caller's and the group's signals are forwarded to, rather than
        // `AbortSignal.any`: Node 20 keeps every signal `any` derives (and all it holds) alive
        // through young-generation collections, which at thousands of calls a minute grew the
        // monitor's heap to several times its live size. A step given a `spare` takes the
        // controller of the step before it, when that one ended without aborting it: Node 20's
        // AbortSignal is slow to make (about a tenth of a check's CPU went to making four) and
        // survives young-generation collections, so an account of one check makes one for its
        // discovery and its balance.
        const budget = spare?.controller ?? new AbortController();
        if (spare !== undefined) spare.controller = undefined;
        let ownBudget = false;
        const cancelBudget = startTimer(accountTimeout, () => {
          ownBudget = true;
          budget.abort();
        });
        const sources = signal === undefined ? [] : [signal];
        if (group !== undefined) sources.push(group.signal);
        const forwardAbort = () => budget.abort(sources.find((source) => source.aborted)?.reason);
        for (const source of sources) {
          if (source.aborted) forwardAbort();
          else source.addEventListener('abort', forwardAbort, { once: true });
        }
        // Handed to the client, so that it does not sleep through a Retry-After it cannot wait out.
        const deadline = Math.min(now() + accountTimeout, group?.deadline ?? Number.POSITIVE_INFINITY);
        try {
          return await task(budget.signal, deadline);
        } catch (error) {
          if ((ownBudget || group?.signal.aborted) && !callerSignal.aborted && UserAbortError.isInstance(error)) {
            const url = account.baseURL ?? defaultBaseURL(account.provider);
            throw new TimeoutError({
              provider: account.provider,
              url: url ?? '',
              attempts: 0,
              timeoutMs: accountTimeout,
              cause: error,
              message: ownBudget
                ? `${account.provider}: no balance from ${url} within the account's time budget of ${accountTimeout} ms (accountTimeout), retries included`
                : `${account.provider}: the accounts found under one configured account share its time budget of ${accountTimeout} ms (accountTimeout), listing included; this one was not done by then`,
            });
          }
          throw error;
        } finally {
          cancelBudget();
          for (const source of sources) source.removeEventListener('abort', forwardAbort);
          // Its timer cancelled and its listeners gone, an unaborted budget is as good as new.
          if (spare !== undefined && !budget.signal.aborted) spare.controller = budget;
        }
      };

      const settle = (account: AnyAccountConfig, label: string, run: () => Promise<BalanceResult>) =>
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

      const check = (
        account: AnyAccountConfig,
        { label, fetch }: BalanceCheck,
        group?: { signal: AbortSignal; deadline: number },
        spare?: { controller?: AbortController | undefined },
      ) =>
        settle(account, label, async () => {
          const balance = await withBudget(
            account,
            (budgetSignal, deadline) => fetch({ signal: budgetSignal, deadline }),
            group,
            spare,
          );
          const min = account.min ?? config.min;
          return { ok: true, provider: account.provider, account: label, min, balance, low: isLow(balance, min) };
        });

      const perAccount = accountsToCheck.map(async (account): Promise<BalanceResult[]> => {
        // A configured account that expands into several (PixVerse allAccounts) has one deadline for
        // its listing and every balance found: many accounts must not mean unbounded time. Its
        // controller and timer are made only then: most accounts are one check.
        let groupDeadline = Number.POSITIVE_INFINITY;
        let cancelGroup = () => {};
        // The discovery's budget controller, handed on to the account's one balance check.
        const spare: { controller?: AbortController | undefined } = {};
        try {
          let checks: BalanceCheck[];
          try {
            // PixVerse discovery is a request too, so it waits for a slot like the checks do.
            checks = await limit(() => {
              groupDeadline = now() + accountTimeout;
              return withBudget(
                account,
                (budgetSignal, deadline) => checksFor(account, registry, settings, { signal: budgetSignal, deadline }),
                undefined,
                spare,
              );
            });
          } catch (error) {
            return [await settle(account, accountLabel(account, registry), () => Promise.reject(error))];
          }
          if (checks.length <= 1)
            return await Promise.all(checks.map((found) => check(account, found, undefined, spare)));
          const group = new AbortController();
          cancelGroup = startTimer(Math.max(0, groupDeadline - now()), () => group.abort());
          return await Promise.all(
            checks.map((found) => check(account, found, { signal: group.signal, deadline: groupDeadline })),
          );
        } finally {
          cancelGroup();
        }
      });
      return (await Promise.all(perAccount)).flat();
    },
  };
}

/** The caller's signal of a call made without one: never aborted, and never given a listener. */
const neverAborted = new AbortController().signal;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
