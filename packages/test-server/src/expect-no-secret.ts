import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * Every way an error may end up in a log leaves each secret out: `message`, `String(error)`,
 * `stack`, `JSON.stringify(error)`, `util.inspect(error)` (which shows the cause chain too), and
 * the `rawBody` and `body` an API error keeps.
 */
export function expectNoSecret(error: unknown, secrets: string | readonly string[]): void {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const renderings: Record<string, string> = {
    message: error instanceof Error ? error.message : '',
    string: String(error),
    stack: error instanceof Error ? (error.stack ?? '') : '',
    json: JSON.stringify(error) ?? '',
    inspect: inspect(error, { depth: 10 }),
    rawBody: typeof record['rawBody'] === 'string' ? record['rawBody'] : '',
    body: JSON.stringify(record['body']) ?? '',
  };
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    if (secret === '') throw new Error('expectNoSecret: an empty secret would match anything');
    for (const [how, text] of Object.entries(renderings)) {
      expect(text, `the secret ${JSON.stringify(secret)} leaked through ${how}`).not.toContain(secret);
    }
  }
}
