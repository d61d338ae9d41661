import { MissingApiKeyError, SettingsError } from './settings-error.js';

/**
 * The key as it will be sent: surrounding whitespace trimmed (a key file's trailing newline), and
 * refused when it holds a character no header can carry. The message gives the position, never the
 * key: `Headers.set` would quote it in a raw `TypeError`.
 */
export function checkApiKey(
  provider: string,
  apiKey: string | undefined,
  environmentVariable: string | undefined,
): string {
  const trimmed = apiKey?.trim() ?? '';
  if (trimmed === '') throw new MissingApiKeyError({ provider, environmentVariable });
  const bad = /[^\x20-\x7e]/.exec(trimmed);
  if (bad !== null) {
    const code = bad[0].charCodeAt(0);
    const what = code < 0x20 || code === 0x7f ? 'a control character' : 'a non-ASCII character';
    throw new SettingsError({
      provider,
      setting: 'apiKey',
      message: `the API key contains ${what} at position ${bad.index + 1}; check how it was pasted or exported`,
    });
  }
  return trimmed;
}
