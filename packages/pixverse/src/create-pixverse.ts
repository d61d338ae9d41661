import { createApiClient, type Balance, type BalanceOptions, type CallOptions, type ProviderSettings } from '@aicredits/core';
import type { Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { featuresToBalance } from './pixverse-balance.js';
import { pixverseDefinition } from './pixverse-definition.js';

export type Features = components['schemas']['Features'];

/** Settings of `createPixVerse`; `apiKey` (the useapi.net API token) defaults to `USEAPI_API_TOKEN`. */
export type PixVerseSettings = ProviderSettings;

export interface GetFeaturesParameters {
  /** The PixVerse account's email; required when the useapi.net account has several PixVerse accounts. */
  email?: string | undefined;
}

export interface PixVerse {
  /** The typed openapi-fetch client for every operation in the PixVerse (useapi.net) spec. */
  readonly client: Client<paths>;
  /** Plan, credits (daily, monthly, package) and feature flags of one PixVerse account. */
  getFeatures(parameters?: GetFeaturesParameters, options?: CallOptions): Promise<Features>;
  /** One PixVerse account's credits as a normalized `Balance`. */
  getBalance(parameters?: GetFeaturesParameters, options?: BalanceOptions): Promise<Balance>;
}

export function createPixVerse(settings: PixVerseSettings = {}): PixVerse {
  const { client, call } = createApiClient<paths>(pixverseDefinition, settings);
  const getFeatures = (parameters: GetFeaturesParameters = {}, options?: CallOptions) =>
      call<Features>(
        {
          name: 'getFeatures',
          send: (init) =>
            client.GET('/v2/pixverse/features/', {
              ...init,
              params: { query: parameters.email === undefined ? {} : { email: parameters.email } },
            }),
          validator: validators.getFeatures,
        },
        options,
      );
  return {
    client,
    getFeatures,
    getBalance: async (parameters = {}, options = {}) =>
      featuresToBalance(await getFeatures(parameters, options), {
        account: options.account ?? parameters.email,
        fetchedAt: new Date(),
      }),
  };
}
