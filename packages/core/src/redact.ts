export const redactedPlaceholder = '[REDACTED]';

/**
 * Replaces every occurrence of each secret in `text`. Providers sometimes echo the token they were
 * sent (e.g. "invalid token sk-..."), so anything kept from a response passes through here first.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    // Very short "secrets" would shred ordinary text; real API keys are long.
    if (secret !== undefined && secret.length >= 4) {
      result = result.split(secret).join(redactedPlaceholder);
    }
  }
  return result;
}
