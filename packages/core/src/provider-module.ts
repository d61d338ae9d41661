import type { Balance } from './balance.js';
import type { ConfigFields, ConfigValues } from './config-field.js';
import type { ProviderDefinition } from './provider-definition.js';
import type { CallOptions, ProviderSettings } from './provider-settings.js';

/** One balance to fetch: a configured account, or one of the accounts a configured one stands for. */
export interface BalanceCheck {
  /** The label the balance is shown and filtered by. */
  label: string;
  fetch(options: CallOptions): Promise<Balance>;
}

/** Settings every configured account may carry, whatever its provider. */
export interface AccountConfigBase {
  /**
   * How the account is shown and filtered (`--account`).
   * @default the provider's label rule (the PixVerse email), else `'default'`
   */
  label?: string | undefined;
  /**
   * The API key.
   * @default the provider's environment variable (its definition's `apiKeyEnvironmentVariable`)
   */
  apiKey?: string | undefined;
  /**
   * Another base URL: a mock server, a proxy, or a compatible gateway.
   * @default the provider's own API
   */
  baseURL?: string | undefined;
  /** Extra headers for this account's requests. */
  headers?: Record<string, string> | undefined;
  /** Alert threshold: the account counts as low when `remaining` is below it. */
  min?: number | undefined;
  /**
   * Allow a plain `http://` `baseURL` to a host other than this machine, e.g. a gateway on the LAN.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
}

/** What a provider module is given to turn one configured account into balance checks. */
export interface AccountChecksContext<Fields extends ConfigFields> {
  /** The account as configured: the common settings and the provider's own fields. */
  account: AccountConfigBase & ConfigValues<Fields>;
  /** The account's label by the provider's label rule. */
  label: string;
  /** Client settings for the provider's factory: the account's key, base URL and headers over the shared ones. */
  settings: ProviderSettings;
  /** For requests made while finding the checks (e.g. PixVerse's account discovery). */
  options: CallOptions;
}

/**
 * Everything the facade, the CLI and the tooling need to know about one provider. Each provider
 * package exports one; a third-party package built on `@aicredits/core` can export its own.
 */
export interface ProviderModule<Id extends string = string, Fields extends ConfigFields = ConfigFields> {
  /** The provider id, as in config files and `Balance.provider`; the same as `definition.id`. */
  readonly id: Id;
  /** The provider's name for people, e.g. `PixVerse (useapi.net)`. */
  readonly displayName: string;
  /** Auth, error reading and retry overrides. */
  readonly definition: ProviderDefinition;
  /** The provider's own account-config fields, beyond the ones every account has. */
  readonly accountFields: Fields;
  /** The label of an account that has none of its own; default `default`. */
  defaultLabel?(account: ConfigValues<Fields>): string | undefined;
  /**
   * Whether the account stands for accounts found only when checked (PixVerse's `allAccounts`),
   * whose labels cannot be matched before.
   */
  discoversAccounts?(account: ConfigValues<Fields>): boolean;
  /** The balance checks one configured account stands for. */
  checks(context: AccountChecksContext<Fields>): BalanceCheck[] | Promise<BalanceCheck[]>;
}

/** The configuration of one account of `Module`'s provider. */
export type AccountConfigOf<Module extends ProviderModule> = AccountConfigBase & {
  provider: Module['id'];
} & ConfigValues<Module['accountFields']>;

/**
 * Declares a provider module with its id and fields kept as literal types; the module is what a
 * provider package exports for `createAccounts({ providers })` and a config file's `"providers"`.
 *
 * @example
 * ```ts
 * import { defineProvider } from '@aicredits/core/provider-utils';
 *
 * export const acmeProvider = defineProvider({
 *   id: 'acme',
 *   displayName: 'Acme',
 *   definition: acmeDefinition,
 *   accountFields: {},
 *   checks: ({ label, settings }) => [{ label, fetch: (options) => createAcme(settings).getBalance(options) }],
 * });
 * ```
 */
export function defineProvider<const Id extends string, const Fields extends ConfigFields = {}>(
  module: ProviderModule<Id, Fields>,
): ProviderModule<Id, Fields> {
  return module;
}

/** Whether a value (e.g. a package's export) is a provider module. */
export function isProviderModule(value: unknown): value is ProviderModule {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ProviderModule>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.displayName === 'string' &&
    typeof candidate.checks === 'function' &&
    typeof candidate.accountFields === 'object' &&
    typeof candidate.definition?.authenticate === 'function'
  );
}

/** The label an account is shown by: its own, else the provider's rule, else `default`. */
export function accountLabelFor<Fields extends ConfigFields>(
  module: Pick<ProviderModule<string, Fields>, 'defaultLabel'>,
  account: AccountConfigBase & ConfigValues<Fields>,
): string {
  return account.label ?? module.defaultLabel?.(account) ?? 'default';
}
