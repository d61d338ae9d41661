// The public surface is chosen, not inherited: `aicredits` and `@aicredits/core` export what
// applications use (createAccounts, the clients, error classes, Balance and settings types) and
// none of the provider-author API, which is `@aicredits/core/provider-utils`. Read from the packed
// tarballs' built code and declarations (smoke-full.test.ts imports them at run time as well).
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
  'withClock',
  'clockOf',
  'Clock',
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

  it.each(['dist/provider-utils.d.ts', 'dist/provider-utils.d.cts'])(
    'the provider-author API is in @aicredits/core/provider-utils (%s)',
    async (file) => {
      const names = exportedNames(await fileInTarball('@aicredits/core', file));
      expect(names).toEqual(expect.arrayContaining([...providerAuthorApi, 'defineProvider', 'configField']));
    },
  );

  it.each(['dist/index.d.ts', 'dist/index.d.cts'])("and not in @aicredits/core's main entry (%s)", async (file) => {
    const names = exportedNames(await fileInTarball('@aicredits/core', file));
    expect(names).toEqual(expect.arrayContaining(['AuthenticationError', 'Balance', 'ProviderSettings']));
    expect(names.filter((name) => providerAuthorApi.includes(name))).toEqual([]);
  });
});
