import { type Balance, type BalanceOptions, type CallOptions, type ProviderSettings } from '@aicredits/core';
import { createApiClient, type Operation } from '@aicredits/core/provider-utils';
import type { Client } from 'openapi-fetch';

import type { AccountInfo } from './account-info.js';
import type { paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { accountInfoFieldsRead, accountInfoToBalance } from './imaginepro-balance.js';
import { imagineProDefinition } from './imaginepro-definition.js';

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

/**
 * A ImaginePro client: typed raw calls and `getBalance()`, with retries, timeouts, typed errors and the
 * key redacted everywhere. Settings are checked here, before any request (`SettingsError`).
 *
 * @param settings - `apiKey` defaults to the `IMAGINEPRO_API_KEY` environment variable.
 * @example
 * ```ts
 * import { createImaginePro } from '@aicredits/imaginepro';
 *
 * const imaginepro = createImaginePro({ apiKey: process.env.IMAGINEPRO_API_KEY });
 * const balance = await imaginepro.getBalance();
 * console.log(balance.remaining, balance.unit, balance.status);
 * ```
 */
export function createImaginePro(settings: ImagineProSettings = {}): ImaginePro {
  const { client, call, read } = createApiClient<paths>(imagineProDefinition, settings);
  const accountInfo: Operation<AccountInfo, AccountInfo> = {
    name: 'getAccountInfo',
    send: (init) => client.GET('/api/v1/subscription/account-info', init),
    validator: validators.getAccountInfo,
  };
  return {
    client,
    getAccountInfo: (options?: CallOptions) => call(accountInfo, options),
    getBalance: async (options = {}) => {
      // The balance needs only some of the fields the spec requires (not `email`).
      const { data, notes } = await read({ ...accountInfo, fieldsRead: accountInfoFieldsRead }, options);
      return accountInfoToBalance(data, { account: options.account, fetchedAt: new Date(), notes });
    },
  };
}
