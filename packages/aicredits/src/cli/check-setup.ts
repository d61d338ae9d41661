import { checkProviderSettings, maxTimerMs } from '@aicredits/core/provider-utils';

import type { AccountsConfig } from '../account-config.js';
import { accountLabel, providerRegistry } from '../provider-registry.js';
import type { AnyAccountConfig } from '../shared-settings.js';
import { ConfigError } from './config-error.js';

/**
 * Everything about the accounts that can be wrong before a request: each client's settings (base
 * URL, headers, timers, the key's presence and characters) and labels that two accounts share.
 * Throws a `SettingsError` or `ConfigError`, which the CLI turns into exit code 2: a cron job must
 * not mail a setup mistake as "an account is low".
 */
export function checkSetup(config: AccountsConfig): void {
  if (config.accountTimeout !== undefined && config.accountTimeout > maxTimerMs) {
    throw new ConfigError(`accountTimeout: at most ${maxTimerMs} ms, got ${config.accountTimeout}`);
  }
  const labels = new Map<string, number>();
  const registry = providerRegistry(config.providers);
  (config.accounts as readonly AnyAccountConfig[]).forEach((account, index) => {
    const module = registry.get(account.provider);
    if (module === undefined) throw new ConfigError(`accounts[${index}].provider: unknown provider`);
    checkProviderSettings(
      module.definition,
      {
        ...config.settings,
        apiKey: account.apiKey,
        baseURL: account.baseURL,
        headers: account.headers,
        allowInsecureHttp: account.allowInsecureHttp ?? config.settings?.allowInsecureHttp,
      },
      { requireApiKey: true },
    );
    const label = accountLabel(account, registry);
    const key = `${account.provider}/${label}`;
    const earlier = labels.get(key);
    if (earlier !== undefined && !module.discoversAccounts?.(account)) {
      throw new ConfigError(
        `accounts[${index}]: ${account.provider} account label ${JSON.stringify(label)} is already used by accounts[${earlier}]; give each account its own "label"`,
      );
    }
    labels.set(key, index);
  });
}
