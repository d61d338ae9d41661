import {
  type Balance,
  type BalanceOptions,
  type CallOptions,
  type ProviderSettings,
  UserAbortError,
} from '@aicredits/core';
import { createApiClient, type Operation } from '@aicredits/core/provider-utils';
import type { Client } from 'openapi-fetch';

import type { BillingSubscription, BillingUsage, GatewayStatus, StatusEnvelope } from './billing.js';
import { displayUnitFromStatus } from './display-unit.js';
import type { paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { billingFieldsRead, billingToBalance } from './iqqz-balance.js';
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
   * The gateway's public display settings (`GET /api/status` of one-api / new-api), which say the
   * unit the billing endpoints report in.
   */
  getStatus(options?: CallOptions): Promise<GatewayStatus>;
  /**
   * Limit and usage together as a normalized `Balance`. A failing usage endpoint leaves
   * `remaining` unknown (with a note) instead of failing the balance. Without a `unit` option the
   * unit is read from the gateway's status; when that says nothing, USD is assumed (a note, and
   * `unitAssumed`).
   */
  getBalance(options?: IqqzBalanceOptions): Promise<Balance>;
}

export interface IqqzBalanceOptions extends BalanceOptions {
  /**
   * The gateway's display unit (`USD`, `CNY`, `tokens`). Default: what the gateway's
   * `/api/status` publishes, else `USD`, marked as assumed.
   */
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
  const { client, call, read } = createApiClient<paths>(iqqzDefinition, settings);
  const subscription: Operation<BillingSubscription, BillingSubscription> = {
    name: 'getSubscription',
    send: (init) => client.GET('/v1/dashboard/billing/subscription', init),
    validator: validators.getSubscription,
  };
  const usage = (parameters: GetUsageParameters = {}): Operation<BillingUsage, BillingUsage> => ({
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
  });
  const getSubscription = (options?: CallOptions) => call(subscription, options);
  const getUsage = (parameters: GetUsageParameters = {}, options?: CallOptions) => call(usage(parameters), options);
  const getStatus = (options?: CallOptions) =>
    call<StatusEnvelope, GatewayStatus>(
      {
        name: 'getStatus',
        send: (init) => client.GET('/api/status', init),
        validator: validators.getStatus,
        unwrap: (envelope) => ({ data: envelope.data ?? {} }),
      },
      options,
    );
  // A gateway without the status endpoint (or with a failing one) still has a balance.
  const publishedUnit = async (options: CallOptions) => {
    try {
      return displayUnitFromStatus(await getStatus({ ...options, maxRetries: 0 }));
    } catch (error) {
      if (UserAbortError.isInstance(error)) throw error;
      return undefined;
    }
  };
  return {
    client,
    getSubscription,
    getUsage,
    getStatus,
    async getBalance(options = {}) {
      // The balance needs only some of the fields the spec requires: a gateway may leave out others.
      const [limits, used, unit] = await Promise.allSettled([
        read({ ...subscription, fieldsRead: billingFieldsRead.subscription }, options),
        read({ ...usage(), fieldsRead: billingFieldsRead.usage }, options),
        options.unit === undefined ? publishedUnit(options) : Promise.resolve(options.unit),
      ]);
      if (limits.status === 'rejected') throw limits.reason;
      if (used.status === 'rejected' && UserAbortError.isInstance(used.reason)) throw used.reason;
      if (unit.status === 'rejected') throw unit.reason;
      return billingToBalance(limits.value.data, used.status === 'fulfilled' ? used.value.data : undefined, {
        account: options.account,
        unit: unit.value,
        fetchedAt: new Date(),
        notes: [...limits.value.notes, ...(used.status === 'fulfilled' ? used.value.notes : [])],
        usageError: used.status === 'rejected' ? String((used.reason as Error).message) : undefined,
      });
    },
  };
}
