import type { ProviderSettings } from '@aicredits/core';

/** Settings every account may carry; secrets belong in `apiKey` only when set from code. */
export interface AccountConfigBase {
  /**
   * How the account is shown and filtered (`--account`).
   * @default the PixVerse email, else `'default'`
   */
  label?: string | undefined;
  /**
   * The API key.
   * @default the provider's environment variable, e.g. `IMAGINEPRO_API_KEY`
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

export interface CrowdComputedAccountConfig extends AccountConfigBase {
  provider: 'crowdcomputed';
}

export interface PixVerseAccountConfig extends AccountConfigBase {
  provider: 'pixverse';
  /** The PixVerse account's email; needed when the useapi.net token has several. */
  email?: string | undefined;
  /** Ask useapi.net for every configured PixVerse account and check each one. */
  allAccounts?: boolean | undefined;
}

export interface ImagineProAccountConfig extends AccountConfigBase {
  provider: 'imaginepro';
}

export interface IqqzAccountConfig extends AccountConfigBase {
  provider: 'iqqz';
  /**
   * The gateway's display unit (`USD`, `CNY`, `tokens`).
   * @default 'USD'
   */
  unit?: string | undefined;
}

export type AccountConfig =
  CrowdComputedAccountConfig | PixVerseAccountConfig | ImagineProAccountConfig | IqqzAccountConfig;

export type ProviderId = AccountConfig['provider'];

/** Client settings shared by every account (timeouts, retries, fetch, debug log). */
export type SharedSettings = Omit<ProviderSettings, 'apiKey' | 'baseURL' | 'headers'>;

export interface AccountsConfig {
  accounts: readonly AccountConfig[];
  /**
   * How many accounts are checked at once (iqqz asks two endpoints per account).
   * @default 8
   */
  concurrency?: number | undefined;
  /**
   * Time budget for one account, retries included, in milliseconds.
   * @default 60000
   */
  accountTimeout?: number | undefined;
  /** Threshold for accounts without their own `min`. */
  min?: number | undefined;
  settings?: SharedSettings | undefined;
}

/** The label an account is shown and filtered by: its own, else the PixVerse email, else `default`. */
export function accountLabel(account: AccountConfig): string {
  return account.label ?? (account.provider === 'pixverse' ? account.email : undefined) ?? 'default';
}
