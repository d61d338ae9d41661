import { type Balance, type BalanceOptions, type CallOptions, type ProviderSettings } from '@aicredits/core';
import { createApiClient, type Operation } from '@aicredits/core/provider-utils';
import type { Client } from 'openapi-fetch';

import { memberInfoFieldsRead, memberInfoToBalance } from './crowdcomputed-balance.js';
import { crowdComputedDefinition } from './crowdcomputed-definition.js';
import type { paths } from './generated/openapi.js';
import * as validators from './generated/validators.js';
import type { MemberInfo, MemberInfoEnvelope } from './member-info.js';

/** Settings of `createCrowdComputed`; `apiKey` defaults to the `CROWDCOMPUTED_API_KEY` environment variable. */
export type CrowdComputedSettings = ProviderSettings;

export interface CrowdComputed {
  /** The typed openapi-fetch client for every operation in the CrowdComputed spec. */
  readonly client: Client<paths>;
  /**
   * The membership plan and points of the key's account. A `Failed` envelope throws (e.g.
   * `AuthenticationError` for `unauthorized`), even under HTTP 200.
   */
  getMemberInfo(options?: CallOptions): Promise<MemberInfo>;
  /** The member info as a normalized `Balance` (points). */
  getBalance(options?: BalanceOptions): Promise<Balance>;
}

/**
 * A CrowdComputed client: typed raw calls and `getBalance()`, with retries, timeouts, typed errors and the
 * key redacted everywhere. Settings are checked here, before any request (`SettingsError`).
 *
 * @param settings - `apiKey` defaults to the `CROWDCOMPUTED_API_KEY` environment variable.
 * @example
 * ```ts
 * import { createCrowdComputed } from '@aicredits/crowdcomputed';
 *
 * const crowdcomputed = createCrowdComputed({ apiKey: process.env.CROWDCOMPUTED_API_KEY });
 * const balance = await crowdcomputed.getBalance();
 * console.log(balance.remaining, balance.unit, balance.status);
 * ```
 */
export function createCrowdComputed(settings: CrowdComputedSettings = {}): CrowdComputed {
  const { client, call, read } = createApiClient<paths>(crowdComputedDefinition, settings);
  const memberInfo: Operation<MemberInfoEnvelope, MemberInfo> = {
    name: 'getMemberInfo',
    send: (init) => client.GET('/api/v1/member/info', init),
    validator: validators.getMemberInfo,
    unwrap: (envelope) =>
      envelope.data
        ? { data: envelope.data }
        : { invalid: 'the envelope says Success but `data` is null', path: '$.data' },
  };
  return {
    client,
    getMemberInfo: (options?: CallOptions) => call(memberInfo, options),
    getBalance: async (options = {}) => {
      // The envelope's `message` is no part of the balance: an answer without it still gives one.
      const { data, notes } = await read({ ...memberInfo, fieldsRead: memberInfoFieldsRead }, options);
      return memberInfoToBalance(data, { account: options.account, fetchedAt: new Date(), notes });
    },
  };
}
