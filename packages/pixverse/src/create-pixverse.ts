import { type Balance, type BalanceOptions, type CallOptions, type ProviderSettings } from '@aicredits/core';
import { createApiClient, dateFromEpochSeconds, dateFromIso } from '@aicredits/core/provider-utils';
import type { Client } from 'openapi-fetch';

import type { Accounts, Features } from './features.js';
import type { paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import { featuresToBalance } from './pixverse-balance.js';
import { pixverseDefinition } from './pixverse-definition.js';

/** A PixVerse account configured in useapi.net, without its session token or password. */
export interface PixVerseAccount {
  email: string;
  maxJobs: number | undefined;
  /** When the account's PixVerse session expires. */
  sessionExpiresAt: Date | undefined;
}

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
  /**
   * The PixVerse accounts configured in the useapi.net account. The response holds each account's
   * session token and masked password; neither leaves this method, nor any error it throws.
   */
  listAccounts(options?: CallOptions): Promise<PixVerseAccount[]>;
  /** One PixVerse account's credits as a normalized `Balance`. */
  getBalance(parameters?: GetFeaturesParameters, options?: BalanceOptions): Promise<Balance>;
}

/**
 * A PixVerse client: typed raw calls and `getBalance()`, with retries, timeouts, typed errors and the
 * key redacted everywhere. Settings are checked here, before any request (`SettingsError`).
 *
 * @param settings - `apiKey` defaults to the `USEAPI_API_TOKEN` environment variable.
 * @example
 * ```ts
 * import { createPixVerse } from '@aicredits/pixverse';
 *
 * const pixverse = createPixVerse({ apiKey: process.env.USEAPI_API_TOKEN });
 * const balance = await pixverse.getBalance({ email: 'me@example.com' });
 * console.log(balance.remaining, balance.unit, balance.status);
 * ```
 */
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
    listAccounts: (options) =>
      call<Accounts, PixVerseAccount[]>(
        {
          name: 'getAccounts',
          send: (init) => client.GET('/v2/pixverse/accounts', init),
          validator: validators.getAccounts,
          secretFields: ['token', 'password', 'jwt'],
          unwrap: (accounts) => ({
            data: Object.entries(accounts).map(([key, account]) => ({
              email: account.email ?? key,
              maxJobs: account.maxJobs,
              sessionExpiresAt:
                dateFromIso(account.jwt?.ExpireTimeUTC) ?? dateFromEpochSeconds(account.jwt?.ExpireTime),
            })),
          }),
        },
        options,
      ),
    getBalance: async (parameters = {}, options = {}) =>
      featuresToBalance(await getFeatures(parameters, options), {
        account: options.account ?? parameters.email,
        fetchedAt: new Date(),
      }),
  };
}
