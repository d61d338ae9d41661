// What an editor shows on hover comes from the .d.ts files users install: every entry point there
// carries its JSDoc with an @example, and settings say their defaults with @default. Read from the
// packed tarballs, so a build step that dropped comments would fail here.
import ts from 'typescript';
import { describe, expect, inject, it } from 'vitest';

import { describeRun, repositoryRoot, run } from './workspace.js';

const packed = inject('packedPackages');

async function declarationsOf(name: string, file: string): Promise<ts.SourceFile> {
  const entry = packed.find((candidate) => candidate.name === name);
  expect(entry, `${name} was not packed`).toBeDefined();
  expect(entry!.files).toContain(file);
  const result = await run('tar', ['-xzOf', entry!.tarball, `package/${file}`], {
    cwd: repositoryRoot,
    timeout: 30_000,
  });
  expect(result.code, describeRun(`tar ${file}`, result)).toBe(0);
  return ts.createSourceFile(file, result.stdout, ts.ScriptTarget.Latest, true);
}

/** The JSDoc tags of the top-level declaration `name` (function, class, const or interface). */
function tagsOf(source: ts.SourceFile, name: string): string[] {
  for (const statement of source.statements) {
    const declared = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((declaration) => declaration.name.getText(source))
      : 'name' in statement && statement.name !== undefined
        ? [(statement.name as ts.Identifier).text]
        : [];
    if (!declared.includes(name)) continue;
    const docs = ts.getJSDocCommentsAndTags(statement).filter(ts.isJSDoc);
    return docs.flatMap((doc) => (doc.tags ?? []).map((tag) => tag.tagName.text));
  }
  throw new Error(`${source.fileName} declares no ${name}`);
}

function memberTags(source: ts.SourceFile, interfaceName: string): Record<string, string[]> {
  const declaration = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === interfaceName,
  );
  if (declaration === undefined) throw new Error(`${source.fileName} declares no interface ${interfaceName}`);
  return Object.fromEntries(
    declaration.members.map((member) => [
      member.name?.getText(source) ?? '',
      ts.getJSDocTags(member).map((tag) => tag.tagName.text),
    ]),
  );
}

const entryPoints: [string, string, string[]][] = [
  ['aicredits', 'dist/index.d.ts', ['createAccounts', 'providerIds']],
  ['aicredits', 'dist/cli/main.d.ts', ['main']],
  ['@aicredits/crowdcomputed', 'dist/index.d.ts', ['createCrowdComputed']],
  ['@aicredits/imaginepro', 'dist/index.d.ts', ['createImaginePro']],
  ['@aicredits/iqqz', 'dist/index.d.ts', ['createIqqz']],
  ['@aicredits/pixverse', 'dist/index.d.ts', ['createPixVerse']],
  [
    '@aicredits/core',
    'dist/index.d.ts',
    [
      'AiCreditsError',
      'ApiCallError',
      'BadRequestError',
      'AuthenticationError',
      'PermissionDeniedError',
      'NotFoundError',
      'RateLimitError',
      'InsufficientCreditsError',
      'ServerError',
      'ConnectionError',
      'TimeoutError',
      'InvalidResponseError',
      'SettingsError',
      'MissingApiKeyError',
      'UserAbortError',
    ],
  ],
];

describe('declarations in the tarballs', () => {
  it.each(entryPoints)('%s %s: every entry point has JSDoc with an @example', async (name, file, exported) => {
    const source = await declarationsOf(name, file);
    const missing = exported.filter((symbol) => !tagsOf(source, symbol).includes('example'));
    expect(missing, `no @example in ${name}/${file}`).toEqual([]);
  });

  it('settings say their defaults with @default', async () => {
    const core = await declarationsOf('@aicredits/core', 'dist/index.d.ts');
    const settings = memberTags(core, 'ProviderSettings');
    for (const setting of [
      'apiKey',
      'baseURL',
      'fetch',
      'timeout',
      'maxRetries',
      'validateResponses',
      'debug',
      'allowInsecureHttp',
      'maxResponseBytes',
    ]) {
      expect(settings[setting], `ProviderSettings.${setting}`).toContain('default');
    }
    const facade = await declarationsOf('aicredits', 'dist/index.d.ts');
    expect(memberTags(facade, 'AccountsConfig')['concurrency']).toContain('default');
    expect(memberTags(facade, 'AccountsConfig')['accountTimeout']).toContain('default');
    // Settings every account has live in the core; a provider's own fields (iqqz `unit`) are
    // declared by its provider module, whose field descriptions say the default.
    expect(memberTags(core, 'AccountConfigBase')['allowInsecureHttp']).toContain('default');
  });
});
