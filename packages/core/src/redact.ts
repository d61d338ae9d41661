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

/**
 * Replaces the values of the named fields, at any depth, in a JSON body kept for an error. For
 * responses that carry secrets of their own (PixVerse's account list holds session tokens).
 */
export function maskSecretFields(rawBody: string, fields: readonly string[]): { rawBody: string; body: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    // Unparsable, so the secrets cannot be found and removed: keep nothing.
    return { rawBody: `${redactedPlaceholder} (unparsable body of a response that holds secrets)`, body: undefined };
  }
  const mask = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(mask);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, fields.includes(key) ? redactedPlaceholder : mask(field)]),
    );
  };
  const masked = mask(body);
  return { rawBody: JSON.stringify(masked), body: masked };
}
