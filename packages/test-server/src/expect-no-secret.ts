import { inspect } from 'node:util';

import { expect } from 'vitest';

/**
 * Every way an error may end up in a log: `message`, `String(error)`, `stack`,
 * `JSON.stringify(error)`, `util.inspect(error)` (which shows the cause chain too), and the
 * `rawBody` and `body` an API error keeps.
 */
export function renderingsOf(error: unknown): Record<string, string> {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  return {
    message: error instanceof Error ? error.message : '',
    string: String(error),
    stack: error instanceof Error ? (error.stack ?? '') : '',
    json: JSON.stringify(error) ?? '',
    inspect: inspect(error, { depth: 10 }),
    rawBody: typeof record['rawBody'] === 'string' ? record['rawBody'] : '',
    body: JSON.stringify(record['body']) ?? '',
  };
}

/** Every way an error may end up in a log leaves each secret out. */
export function expectNoSecret(error: unknown, secrets: string | readonly string[]): void {
  const renderings = renderingsOf(error);
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    if (secret === '') throw new Error('expectNoSecret: an empty secret would match anything');
    for (const [how, text] of Object.entries(renderings)) {
      expect(text, `the secret ${JSON.stringify(secret)} leaked through ${how}`).not.toContain(secret);
    }
  }
}

/**
 * Stricter: no run of `length` characters of the secret either, in any rendering of `error` or in
 * the extra `texts` (a CLI's output, a debug log), so that a partial or re-encoded echo is caught too.
 */
export function expectNoSecretFragment(
  error: unknown,
  secret: string,
  { length = 12, texts = {} }: { length?: number; texts?: Record<string, string> } = {},
): void {
  const renderings = { ...(error === undefined ? {} : renderingsOf(error)), ...texts };
  const size = Math.min(length, secret.length);
  for (let at = 0; at + size <= secret.length; at++) {
    const fragment = secret.slice(at, at + size);
    for (const [how, text] of Object.entries(renderings)) {
      expect(text, `part ${JSON.stringify(fragment)} of the secret leaked through ${how}`).not.toContain(fragment);
    }
  }
}
