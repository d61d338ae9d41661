// The facade's public surface is chosen, not inherited: `aicredits` exports what applications use
// (createAccounts, the clients, error classes, Balance and settings types) and none of the core's
// provider-author API. Read from the packed tarball's built code and declarations.
import { describe, expect, inject, it } from 'vitest';

import { describeRun, repositoryRoot, run } from './workspace.js';

const packed = inject('packedPackages');

async function fileInTarball(name: string, file: string): Promise<string> {
  const entry = packed.find((candidate) => candidate.name === name);
  expect(entry, `${name} was not packed`).toBeDefined();
  const result = await run('tar', ['-xzOf', entry!.tarball, `package/${file}`], {
    cwd: repositoryRoot,
    timeout: 30_000,
  });
  expect(result.code, describeRun(`tar ${file}`, result)).toBe(0);
  return result.stdout;
}

/** The names in the file's `export { a, b as c, type D }` statements. */
function exportedNames(code: string): string[] {
  return [...code.matchAll(/^export \{([^}]*)\}/gm)].flatMap((match) =>
    match[1]!
      .split(',')
      .map((part) => part.trim().replace(/^type\s+/, ''))
      .filter((part) => part !== '')
      .map((part) => part.split(/\s+as\s+/).at(-1)!),
  );
}

const providerAuthorApi = [
  'createApiClient',
  'exactAmount',
  'maskSecretFields',
  'sumAmounts',
  'dateFromIso',
  'dateFromEpochSeconds',
  'statusFromExpiry',
  'isTransientStatus',
  'createApiCallError',
  'errorKindForStatus',
  'checkProviderSettings',
  'systemClock',
  'ProviderDefinition',
  'Operation',
  'ApiClient',
];

describe('the aicredits public surface', () => {
  it.each(['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts'])(
    '%s exports no provider-author internals',
    async (file) => {
      const code = await fileInTarball('aicredits', file);
      const names = file.endsWith('.cjs')
        ? [...code.matchAll(/^\s+(\w+): \(\) =>/gm)].map((match) => match[1]!)
        : exportedNames(code);
      expect(names).toEqual(
        expect.arrayContaining(['createAccounts', 'providerIds', 'createImaginePro', 'AuthenticationError']),
      );
      if (file.endsWith('.d.ts'))
        expect(names).toEqual(expect.arrayContaining(['Balance', 'ProviderSettings', 'AccountsConfig']));
      expect(names.filter((name) => providerAuthorApi.includes(name))).toEqual([]);
      // Not everything of the core wholesale, which would bring the internals back unnamed.
      expect(code).not.toMatch(
        /export \* from ["']@aicredits\/core["']|__reExport\([^)]*require\(["']@aicredits\/core["']\)/,
      );
    },
  );

  it('the provider-author API is still in @aicredits/core, where provider packages get it', async () => {
    const names = exportedNames(await fileInTarball('@aicredits/core', 'dist/index.d.ts'));
    expect(names).toEqual(expect.arrayContaining(providerAuthorApi));
  });
});
