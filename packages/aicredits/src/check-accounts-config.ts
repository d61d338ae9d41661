import { type ProviderModule, SettingsError } from '@aicredits/core';
import { maxTimerMs } from '@aicredits/core/provider-utils';

import type { AccountsConfig } from './account-config.js';

/**
 * Refuses settings that could only fail later (`concurrency: 0` at the first `balances()`, a
 * negative `timeout` at the first request), with a `SettingsError` naming the setting, when
 * `createAccounts` is called.
 */
export function checkAccountsConfig(config: AccountsConfig<ProviderModule>): void {
  if (!Array.isArray(config.accounts)) {
    throw new SettingsError({ provider: 'aicredits', setting: 'accounts', message: 'accounts must be an array' });
  }
  wholeNumber('concurrency', config.concurrency, 1, Number.MAX_SAFE_INTEGER);
  wholeNumber('accountTimeout', config.accountTimeout, 1, maxTimerMs);
  amount('min', config.min);
  wholeNumber('settings.timeout', config.settings?.timeout, 1, maxTimerMs);
  wholeNumber('settings.maxRetries', config.settings?.maxRetries, 0, Number.MAX_SAFE_INTEGER);
  wholeNumber('settings.maxResponseBytes', config.settings?.maxResponseBytes, 1, Number.MAX_SAFE_INTEGER);
  config.accounts.forEach((account, index) => amount(`accounts[${index}].min`, account.min));
}

function wholeNumber(setting: string, value: unknown, minimum: number, maximum: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `of at least ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new SettingsError({
      provider: 'aicredits',
      setting,
      message: `${setting} must be a whole number ${range}, got ${describe(value)}`,
    });
  }
}

function amount(setting: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SettingsError({
      provider: 'aicredits',
      setting,
      message: `${setting} must be a number of at least 0, got ${describe(value)}`,
    });
  }
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
}
