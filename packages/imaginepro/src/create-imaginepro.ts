import { createApiClient, type CallOptions, type ProviderSettings } from '@aicredits/core';
import type { Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { imagineProDefinition } from './imaginepro-definition.js';

export type AccountInfo = components['schemas']['AccountInfo'];

/** Settings of `createImaginePro`; `apiKey` defaults to the `IMAGINEPRO_API_KEY` environment variable. */
export type ImagineProSettings = ProviderSettings;

export interface ImaginePro {
  /** The typed openapi-fetch client for every operation in the ImaginePro spec. */
  readonly client: Client<paths>;
  /** Plan, monthly credits (quota and left) and extra credits of the key's account. */
  getAccountInfo(options?: CallOptions): Promise<AccountInfo>;
}

export function createImaginePro(settings: ImagineProSettings = {}): ImaginePro {
  const { client, call } = createApiClient<paths>(imagineProDefinition, settings);
  return {
    client,
    getAccountInfo: (options) =>
      call<AccountInfo>(
        {
          name: 'getAccountInfo',
          send: (init) => client.GET('/api/v1/subscription/account-info', init),
          validator: validators.getAccountInfo,
        },
        options,
      ),
  };
}
