import type { Balance, CallOptions } from '@aicredits/core';
import { createCrowdComputed, crowdComputedDefinition } from '@aicredits/crowdcomputed';
import { createImaginePro, imagineProDefinition } from '@aicredits/imaginepro';
import { createIqqz, iqqzDefinition } from '@aicredits/iqqz';
import { createPixVerse, pixverseDefinition } from '@aicredits/pixverse';
import { checkDiscoveredCount } from './discovery-limit.js';
import { accountLabel, type AccountConfig, type ProviderId, type SharedSettings } from './account-config.js';

/** One balance to fetch: a configured account, or one PixVerse account found by discovery. */
export interface BalanceCheck {
  label: string;
  fetch(options: CallOptions): Promise<Balance>;
}

export interface ProviderAdapter<Config extends AccountConfig> {
  defaultBaseURL: string;
  /** Where the provider's package looks for the API key when none is given. */
  apiKeyEnvironmentVariable: string;
  /** The checks one configured account stands for; PixVerse's `allAccounts` first asks which exist. */
  checks(config: Config, settings: SharedSettings, options: CallOptions): Promise<BalanceCheck[]> | BalanceCheck[];
}

type Adapters = { [Id in ProviderId]: ProviderAdapter<Extract<AccountConfig, { provider: Id }>> };

function clientSettings(config: AccountConfig, settings: SharedSettings) {
  return {
    ...settings,
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    headers: config.headers,
    allowInsecureHttp: config.allowInsecureHttp ?? settings.allowInsecureHttp,
  };
}

/** The one place the facade names providers. */
export const providerAdapters: Adapters = {
  crowdcomputed: {
    defaultBaseURL: crowdComputedDefinition.defaultBaseURL,
    apiKeyEnvironmentVariable: crowdComputedDefinition.apiKeyEnvironmentVariable,
    checks: (config, settings) => {
      const label = accountLabel(config);
      const client = createCrowdComputed(clientSettings(config, settings));
      return [{ label, fetch: (options) => client.getBalance({ ...options, account: label }) }];
    },
  },
  imaginepro: {
    defaultBaseURL: imagineProDefinition.defaultBaseURL,
    apiKeyEnvironmentVariable: imagineProDefinition.apiKeyEnvironmentVariable,
    checks: (config, settings) => {
      const label = accountLabel(config);
      const client = createImaginePro(clientSettings(config, settings));
      return [{ label, fetch: (options) => client.getBalance({ ...options, account: label }) }];
    },
  },
  iqqz: {
    defaultBaseURL: iqqzDefinition.defaultBaseURL,
    apiKeyEnvironmentVariable: iqqzDefinition.apiKeyEnvironmentVariable,
    checks: (config, settings) => {
      const label = accountLabel(config);
      const client = createIqqz(clientSettings(config, settings));
      return [{ label, fetch: (options) => client.getBalance({ ...options, account: label, unit: config.unit }) }];
    },
  },
  pixverse: {
    defaultBaseURL: pixverseDefinition.defaultBaseURL,
    apiKeyEnvironmentVariable: pixverseDefinition.apiKeyEnvironmentVariable,
    checks: async (config, settings, options) => {
      const client = createPixVerse(clientSettings(config, settings));
      const check = (email: string | undefined, label: string): BalanceCheck => ({
        label,
        fetch: (callOptions) => client.getBalance({ email }, { ...callOptions, account: label }),
      });
      if (!config.allAccounts) return [check(config.email, accountLabel(config))];
      const accounts = await client.listAccounts(options);
      checkDiscoveredCount(accounts.length, {
        provider: 'pixverse',
        operation: 'getAccounts',
        url: `${config.baseURL ?? pixverseDefinition.defaultBaseURL}/v2/pixverse/accounts`,
      });
      return accounts.map(({ email }) => check(email, config.label === undefined ? email : `${config.label}/${email}`));
    },
  },
};

/** The checks for any configured account; an unknown provider is an error of that account only. */
export async function checksFor(
  account: AccountConfig,
  settings: SharedSettings,
  options: CallOptions,
): Promise<BalanceCheck[]> {
  // `Object.hasOwn`: a provider named `__proto__` or `toString` is unknown, not Object.prototype's.
  const adapter = Object.hasOwn(providerAdapters, account.provider)
    ? (providerAdapters[account.provider] as ProviderAdapter<AccountConfig>)
    : undefined;
  if (adapter === undefined) {
    throw new Error(`unknown provider ${JSON.stringify(account.provider)}; expected one of ${providerIds.join(', ')}`);
  }
  return adapter.checks(account, settings, options);
}

/**
 * The provider ids the facade knows, as `provider` in an account config and `--provider` on the
 * command line.
 *
 * @example
 * ```ts
 * import { providerIds } from 'aicredits';
 *
 * console.log(providerIds); // ['crowdcomputed', 'imaginepro', 'iqqz', 'pixverse']
 * ```
 */
export const providerIds = Object.keys(providerAdapters) as ProviderId[];

export function defaultBaseURL(provider: ProviderId): string | undefined {
  return (providerAdapters[provider] as ProviderAdapter<AccountConfig> | undefined)?.defaultBaseURL;
}
