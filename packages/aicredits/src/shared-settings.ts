import type { AccountConfigBase, ProviderSettings } from '@aicredits/core';

/** Client settings shared by every account (timeouts, retries, fetch, debug log). */
export type SharedSettings = Omit<ProviderSettings, 'apiKey' | 'baseURL' | 'headers'>;

/** Any configured account, of whichever provider: what the facade works with inside. */
export type AnyAccountConfig = AccountConfigBase & { provider: string } & Record<string, unknown>;
