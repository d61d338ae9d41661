// publint on each packed tarball, strict (warnings count as errors) and at the most detailed level
// (suggestions too), so exactly the published files are linted.
import { readFileSync } from 'node:fs';

import { type Message, publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, it } from 'vitest';

/**
 * Messages accepted on purpose, each with its reason. Keep this empty unless publint is wrong
 * about a package; the README lists every entry.
 */
const documentedExceptions: readonly { packageName: string; code: Message['code']; reason: string }[] = [];

const packed = inject('packedPackages');

describe.each(packed.map((entry) => [entry.name, entry] as const))('publint %s', (name, entry) => {
  it('reports nothing (strict, suggestions included)', async () => {
    const bytes = readFileSync(entry.tarball);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball }, strict: true, level: 'suggestion' });
    const reported = messages
      .filter(
        (message) =>
          !documentedExceptions.some((exception) => exception.packageName === name && exception.code === message.code),
      )
      .map((message) => `${message.type} ${message.code}: ${formatMessage(message, pkg, { color: false }) ?? ''}`);
    expect(reported).toEqual([]);
  });
});
