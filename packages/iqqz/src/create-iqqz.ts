import { createApiClient, type CallOptions, type ProviderSettings } from '@aicredits/core';
import type { Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { iqqzDefinition } from './iqqz-definition.js';

export type BillingSubscription = components['schemas']['BillingSubscription'];
export type BillingUsage = components['schemas']['BillingUsage'];

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
}

export function createIqqz(settings: IqqzSettings = {}): Iqqz {
  const { client, call } = createApiClient<paths>(iqqzDefinition, settings);
  return {
    client,
    getSubscription: (options) =>
      call<BillingSubscription>(
        {
          name: 'getSubscription',
          send: (init) => client.GET('/v1/dashboard/billing/subscription', init),
          validator: validators.getSubscription,
        },
        options,
      ),
    getUsage: (parameters = {}, options) =>
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
      ),
  };
}
