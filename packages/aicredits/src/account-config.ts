import type { AccountConfigOf, ProviderModule } from '@aicredits/core';

import type { BuiltInProvider } from './providers.js';
import type { SharedSettings } from './shared-settings.js';

export type { SharedSettings } from './shared-settings.js';

/** A configured account of a built-in provider. */
export type AccountConfig = BuiltInProvider extends infer Module
  ? Module extends ProviderModule
    ? AccountConfigOf<Module>
    : never
  : never;

/** The id of a built-in provider. */
export type ProviderId = BuiltInProvider['id'];

export interface AccountsConfig<Extra extends ProviderModule = never> {
  /** The accounts to check, of built-in providers or of the modules in `providers`. */
  accounts: readonly (AccountConfig | AccountConfigOf<Extra>)[];
  /** Third-party provider modules (see "Writing a provider" in @aicredits/core). */
  providers?: readonly Extra[] | undefined;
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
