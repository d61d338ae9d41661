import {
  createApiClient,
  UserAbortError,
  type Balance,
  type BalanceOptions,
  type CallOptions,
  type ProviderSettings,
} from '@aicredits/core';
import type { Client } from 'openapi-fetch';
import type { BillingSubscription, BillingUsage } from './billing.js';
import type { paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { billingToBalance } from './iqqz-balance.js';
import { iqqzDefinition } from './iqqz-definition.js';


/**
 * Settings of `createIqqz`; `apiKey` (a gateway token) defaults to `IQQZ_API_KEY`. Any one-api /
 * new-api compatible gateway works with its own `baseURL`.
 */
export type IqqzSettings = ProviderSettings;

export interface GetUsageParameters {
  /** `YYYY-MM-DD`; gateways accept it but answer lifetime usage regardless. */
  startDate?: string | undefined;
  /** `YYYY-MM-DD`; gateways accept it but answer lifetime usage regardless. */
  endDate?: string | undefined;
}

export interface Iqqz {
  /** The typed openapi-fetch client for every operation in the iqqz spec. */
  readonly client: Client<paths>;
  /** The token's granted limits; 100000000 in the limit fields means unlimited. */
  getSubscription(options?: CallOptions): Promise<BillingSubscription>;
  /** The token's usage; `total_usage` is in hundredths of the limit's unit. */
  getUsage(parameters?: GetUsageParameters, options?: CallOptions): Promise<BillingUsage>;
  /**
   * Limit and usage together as a normalized `Balance`. A failing usage endpoint leaves
   * `remaining` unknown (with a note) instead of failing the balance.
   */
  getBalance(options?: IqqzBalanceOptions): Promise<Balance>;
}

export interface IqqzBalanceOptions extends BalanceOptions {
  /** The gateway's display unit (`USD`, `CNY`, `tokens`); the API does not say it. Default `USD`. */
  unit?: string | undefined;
}

/**
 * A iqqz client: typed raw calls and `getBalance()`, with retries, timeouts, typed errors and the
 * key redacted everywhere. Settings are checked here, before any request (`SettingsError`).
 *
 * @param settings - `apiKey` defaults to the `IQQZ_API_KEY` environment variable.
 * @example
 * ```ts
 * import { createIqqz } from '@aicredits/iqqz';
 *
 * const iqqz = createIqqz({ apiKey: process.env.IQQZ_API_KEY });
 * const balance = await iqqz.getBalance({ unit: 'USD' });
 * console.log(balance.remaining, balance.unit, balance.status);
 * ```
 */
export function createIqqz(settings: IqqzSettings = {}): Iqqz {
  const { client, call } = createApiClient<paths>(iqqzDefinition, settings);
  const getSubscription = (options?: CallOptions) =>
    call<BillingSubscription>(
      {
        name: 'getSubscription',
        send: (init) => client.GET('/v1/dashboard/billing/subscription', init),
        validator: validators.getSubscription,
      },
      options,
    );
  const getUsage = (parameters: GetUsageParameters = {}, options?: CallOptions) =>
    call<BillingUsage>(
      {
        name: 'getUsage',
        send: (init) =>
          client.GET('/v1/dashboard/billing/usage', {
            ...init,
            params: {
              query: {
                ...(parameters.startDate === undefined ? {} : { start_date: parameters.startDate }),
                ...(parameters.endDate === undefined ? {} : { end_date: parameters.endDate }),
              },
            },
          }),
        validator: validators.getUsage,
      },
      options,
    );
  return {
    client,
    getSubscription,
    getUsage,
    async getBalance(options = {}) {
      const [subscription, usage] = await Promise.allSettled([getSubscription(options), getUsage({}, options)]);
      if (subscription.status === 'rejected') throw subscription.reason;
      if (usage.status === 'rejected' && UserAbortError.isInstance(usage.reason)) throw usage.reason;
      return billingToBalance(subscription.value, usage.status === 'fulfilled' ? usage.value : undefined, {
        account: options.account,
        unit: options.unit,
        fetchedAt: new Date(),
        usageError: usage.status === 'rejected' ? String((usage.reason as Error).message) : undefined,
      });
    },
  };
}
