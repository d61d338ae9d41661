import {
  createApiClient,
  type Balance,
  type BalanceOptions,
  type CallOptions,
  type ProviderSettings,
} from '@aicredits/core';
import type { Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { accountInfoToBalance } from './imaginepro-balance.js';
import { imagineProDefinition } from './imaginepro-definition.js';

export type AccountInfo = components['schemas']['AccountInfo'];

/** Settings of `createImaginePro`; `apiKey` defaults to the `IMAGINEPRO_API_KEY` environment variable. */
export type ImagineProSettings = ProviderSettings;

export interface ImaginePro {
  /** The typed openapi-fetch client for every operation in the ImaginePro spec. */
  readonly client: Client<paths>;
  /** Plan, monthly credits (quota and left) and extra credits of the key's account. */
  getAccountInfo(options?: CallOptions): Promise<AccountInfo>;
  /** The account info as a normalized `Balance` (credits). */
  getBalance(options?: BalanceOptions): Promise<Balance>;
}

export function createImaginePro(settings: ImagineProSettings = {}): ImaginePro {
  const { client, call } = createApiClient<paths>(imagineProDefinition, settings);
  const getAccountInfo = (options?: CallOptions) =>
    call<AccountInfo>(
      {
        name: 'getAccountInfo',
        send: (init) => client.GET('/api/v1/subscription/account-info', init),
        validator: validators.getAccountInfo,
      },
      options,
    );
  return {
    client,
    getAccountInfo,
    getBalance: async (options = {}) =>
      accountInfoToBalance(await getAccountInfo(options), { account: options.account, fetchedAt: new Date() }),
  };
}
