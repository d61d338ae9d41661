import {
  type Balance,
  type BalanceOptions,
  type CallOptions,
  createApiClient,
  type ProviderSettings,
} from '@aicredits/core';
import type { Client } from 'openapi-fetch';

import type { AccountInfo } from './account-info.js';
import type { paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { accountInfoToBalance } from './imaginepro-balance.js';
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
