import { type AccountConfigBase, type CallOptions, type ProviderModule, SettingsError } from '@aicredits/core';
import { accountLabelFor, type BalanceCheck } from '@aicredits/core/provider-utils';

import { checkDiscoveredCount } from './discovery-limit.js';
import { builtInProviders } from './providers.js';
import type { AnyAccountConfig, SharedSettings } from './shared-settings.js';

let builtInRegistry: ReadonlyMap<string, ProviderModule> | undefined;

/** The built-in providers and `extra` (third-party modules), by id; an id may appear once. */
export function providerRegistry(extra: readonly ProviderModule[] = []): ReadonlyMap<string, ProviderModule> {
  // Made once: a monitor makes a facade, and so a registry, for every poll.
  if (extra.length === 0) return (builtInRegistry ??= registryOf([]));
  return registryOf(extra);
}

function registryOf(extra: readonly ProviderModule[]): ReadonlyMap<string, ProviderModule> {
  const registry = new Map<string, ProviderModule>();
  for (const module of [...builtInProviders, ...extra] as ProviderModule[]) {
    if (registry.has(module.id)) {
      throw new SettingsError({
        provider: module.id,
        setting: 'providers',
        message: `two provider modules have the id ${JSON.stringify(module.id)}; a provider id must be unique`,
      });
    }
    registry.set(module.id, module);
  }
  return registry;
}

/** The label an account is shown and filtered by: its own, else its provider's rule, else `default`. */
export function accountLabel(account: AnyAccountConfig, registry = providerRegistry()): string {
  const module = registry.get(account.provider);
  return module === undefined ? (account.label ?? 'default') : accountLabelFor(module, account);
}

/** The checks for any configured account; an unknown provider is an error of that account only. */
export async function checksFor(
  account: AnyAccountConfig,
  registry: ReadonlyMap<string, ProviderModule>,
  settings: SharedSettings,
  options: CallOptions,
): Promise<BalanceCheck[]> {
  const module = registry.get(account.provider);
  if (module === undefined) {
    throw new Error(
      `unknown provider ${JSON.stringify(account.provider)}; expected one of ${[...registry.keys()].join(', ')}`,
    );
  }
  const checks = await module.checks({
    account,
    label: accountLabelFor(module, account),
    settings: clientSettings(account, settings),
    options,
  });
  // Before any balance request: one configured account must not expand into unbounded requests.
  checkDiscoveredCount(checks.length, {
    provider: module.id,
    operation: 'checks',
    url: account.baseURL ?? module.definition.defaultBaseURL,
  });
  return checks;
}

function clientSettings(account: AccountConfigBase, settings: SharedSettings) {
  return {
    ...settings,
    apiKey: account.apiKey,
    baseURL: account.baseURL,
    headers: account.headers,
    allowInsecureHttp: account.allowInsecureHttp ?? settings.allowInsecureHttp,
  };
}
