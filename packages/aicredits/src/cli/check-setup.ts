import { checkProviderSettings, maxTimerMs } from '@aicredits/core';
import { accountLabel, type AccountConfig, type AccountsConfig } from '../account-config.js';
import { providerAdapters } from '../providers.js';
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
  config.accounts.forEach((account: AccountConfig, index) => {
    const adapter = Object.hasOwn(providerAdapters, account.provider) ? providerAdapters[account.provider] : undefined;
    if (adapter === undefined) throw new ConfigError(`accounts[${index}].provider: unknown provider`);
    checkProviderSettings(
      { id: account.provider, ...adapter },
      {
        ...config.settings,
        apiKey: account.apiKey,
        baseURL: account.baseURL,
        headers: account.headers,
        allowInsecureHttp: account.allowInsecureHttp ?? config.settings?.allowInsecureHttp,
      },
      { requireApiKey: true },
    );
    const key = `${account.provider}/${accountLabel(account)}`;
    const earlier = labels.get(key);
    if (earlier !== undefined && !(account.provider === 'pixverse' && account.allAccounts)) {
      throw new ConfigError(
        `accounts[${index}]: ${account.provider} account label ${JSON.stringify(accountLabel(account))} is already used by accounts[${earlier}]; give each account its own "label"`,
      );
    }
    labels.set(key, index);
  });
}
