import { checkApiKey } from './api-key.js';
import { resolveBaseURL } from './base-url.js';
import { checkCount, checkHeaders, checkTimeout } from './check-settings.js';
import { readEnvironment } from './debug-log.js';
import type { ProviderSettings } from './provider-settings.js';

/** What settings checks need to know about a provider. */
export interface ProviderIdentity {
  id: string;
  defaultBaseURL: string;
  apiKeyEnvironmentVariable: string;
}

/**
 * Checks every setting that could only fail later, or fail with a raw `TypeError`: the base URL,
 * timer and count ranges, header values, and the API key's characters when one is known. Throws a
 * `SettingsError` (never quoting a secret); returns the base URL requests go to.
 * With `requireApiKey`, an absent key is a `MissingApiKeyError` now rather than at the first call.
 */
export function checkProviderSettings(
  provider: ProviderIdentity,
  settings: ProviderSettings,
  { requireApiKey = false }: { requireApiKey?: boolean } = {},
): string {
  const id = provider.id;
  const baseURL = resolveBaseURL(id, settings.baseURL ?? provider.defaultBaseURL, settings.allowInsecureHttp ?? false);
  checkTimeout(id, 'timeout', settings.timeout);
  checkCount(id, 'maxRetries', settings.maxRetries, 0);
  checkCount(id, 'maxResponseBytes', settings.maxResponseBytes, 1);
  checkHeaders(id, 'headers', settings.headers);
  const apiKey = settings.apiKey ?? readEnvironment(provider.apiKeyEnvironmentVariable);
  if (requireApiKey || (apiKey !== undefined && apiKey.trim() !== '')) {
    checkApiKey(id, apiKey, provider.apiKeyEnvironmentVariable);
  }
  return baseURL;
}
