// What an editor shows on hover comes from the .d.ts files users install: every entry point there
// carries its JSDoc with an @example, and settings say their defaults with @default. Read from the
// packed tarballs, so a build step that dropped comments would fail here.
import path from 'node:path';

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

/** The name a top-level statement declares, if any (function, class, const or interface). */
function declaredNames(source: ts.SourceFile, statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.map((declaration) => declaration.name.getText(source));
  }
  return 'name' in statement && statement.name !== undefined ? [(statement.name as ts.Identifier).text] : [];
}

/**
 * The statement declaring `name` as the file exports it, following the re-exports of the shared
 * declaration chunks tsup writes (`export { a as Balance } from './validation-….js'`, or an import
 * of it re-exported): the JSDoc an editor shows sits on the declaration in the chunk.
 */
async function declarationOf(
  packageName: string,
  file: string,
  name: string,
): Promise<{ source: ts.SourceFile; statement: ts.Statement }> {
  const source = await declarationsOf(packageName, file);
  for (const statement of source.statements) {
    if (declaredNames(source, statement).includes(name)) return { source, statement };
  }
  for (const statement of source.statements) {
    const isReExport =
      ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause);
    const isImport =
      ts.isImportDeclaration(statement) &&
      statement.importClause?.namedBindings &&
      ts.isNamedImports(statement.importClause.namedBindings);
    if (!isReExport && !isImport) continue;
    const specifiers = ts.isExportDeclaration(statement)
      ? (statement.exportClause as ts.NamedExports).elements
      : ((statement as ts.ImportDeclaration).importClause!.namedBindings as ts.NamedImports).elements;
    const specifier = specifiers.find((element) => element.name.text === name);
    const moduleSpecifier = (statement as ts.ExportDeclaration | ts.ImportDeclaration).moduleSpecifier;
    if (specifier === undefined || moduleSpecifier === undefined || !ts.isStringLiteral(moduleSpecifier)) continue;
    if (!moduleSpecifier.text.startsWith('./')) continue;
    const chunk = path.posix.join(path.posix.dirname(file), moduleSpecifier.text.replace(/\.(c?)js$/, '.d.$1ts'));
    const exportedName = (specifier.propertyName ?? specifier.name).text;
    const chunkSource = await declarationsOf(packageName, chunk);
    const local = chunkSource.statements
      .filter(ts.isExportDeclaration)
      .flatMap((declaration) =>
        declaration.exportClause && ts.isNamedExports(declaration.exportClause)
          ? [...declaration.exportClause.elements]
          : [],
      )
      .find((element) => element.name.text === exportedName);
    const localName = (local?.propertyName ?? local?.name)?.text ?? exportedName;
    for (const chunkStatement of chunkSource.statements) {
      if (declaredNames(chunkSource, chunkStatement).includes(localName)) {
        return { source: chunkSource, statement: chunkStatement };
      }
    }
  }
  throw new Error(`${packageName}/${file} declares no ${name}`);
}

/** The JSDoc tags of the declaration `name` exported by a declaration file. */
async function tagsOf(packageName: string, file: string, name: string): Promise<string[]> {
  const { statement } = await declarationOf(packageName, file, name);
  const docs = ts.getJSDocCommentsAndTags(statement).filter(ts.isJSDoc);
  return docs.flatMap((doc) => (doc.tags ?? []).map((tag) => tag.tagName.text));
}

async function memberTags(packageName: string, file: string, interfaceName: string): Promise<Record<string, string[]>> {
  const { source, statement } = await declarationOf(packageName, file, interfaceName);
  if (!ts.isInterfaceDeclaration(statement))
    throw new Error(`${packageName}/${file}: ${interfaceName} is not an interface`);
  return Object.fromEntries(
    statement.members.map((member) => [
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
    const missing: string[] = [];
    for (const symbol of exported) {
      if (!(await tagsOf(name, file, symbol)).includes('example')) missing.push(symbol);
    }
    expect(missing, `no @example in ${name}/${file}`).toEqual([]);
  });

  it('settings say their defaults with @default', async () => {
    const settings = await memberTags('@aicredits/core', 'dist/index.d.ts', 'ProviderSettings');
    // Exactly the settings users have; test seams (the clock) are `withClock` of provider-utils.
    expect(Object.keys(settings).sort()).toEqual(
      [
        'allowInsecureHttp',
        'apiKey',
        'baseURL',
        'debug',
        'fetch',
        'headers',
        'maxResponseBytes',
        'maxRetries',
        'timeout',
        'validateResponses',
      ].sort(),
    );
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
    const accountsConfig = await memberTags('aicredits', 'dist/index.d.ts', 'AccountsConfig');
    expect(accountsConfig['concurrency']).toContain('default');
    expect(accountsConfig['accountTimeout']).toContain('default');
    // Settings every account has live in the core; a provider's own fields (iqqz `unit`) are
    // declared by its provider module, whose field descriptions say the default.
    const accountConfigBase = await memberTags('@aicredits/core', 'dist/index.d.ts', 'AccountConfigBase');
    expect(accountConfigBase['allowInsecureHttp']).toContain('default');
  });
});
