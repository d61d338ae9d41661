// Issue 11's "one list" bar: a provider is its package, its spec and one entry in the facade's
// list. For every built-in provider, the files outside its own package and spec whose code names
// it (rules and exclusions in provider-naming.ts) are at most `maximumNamingFiles`; and everything
// the repository derives from the list (the mock, the demos) covers it, so forgetting one fails.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { mockProviderIds } from '@aicredits/mock';
import { builtInProviders } from 'aicredits';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { codeOf, filesNaming, maximumNamingFiles, readRepositoryFile } from './provider-naming.js';
import { readJson, repositoryRoot } from './workspace.js';

/** Every file in the working tree that git would commit: tracked ones and new, unignored ones. */
const repositoryFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
  cwd: repositoryRoot,
  encoding: 'utf8',
})
  .split('\0')
  .filter((file) => file !== '' && existsSync(path.join(repositoryRoot, file)));

/** The folder (repository-relative) of the package that exports each built-in provider module. */
async function ownFolder(id: string): Promise<string> {
  const facade = readJson<{ dependencies: Record<string, string> }>(
    path.join(repositoryRoot, 'packages/aicredits/package.json'),
  );
  for (const name of Object.keys(facade.dependencies)) {
    const exports = (await import(name)) as Record<string, unknown>;
    if (
      Object.values(exports).some((value) => builtInProviders.some((module) => module === value && module.id === id))
    ) {
      const manifest = import.meta.resolve(`${name}/package.json`);
      return path
        .relative(repositoryRoot, path.dirname(new URL(manifest).pathname))
        .split(path.sep)
        .join('/');
    }
  }
  throw new Error(`no dependency of aicredits exports the ${id} provider module`);
}

describe('the rule', () => {
  const files = ['packages/acme/src/a.ts', 'specs/acme.yaml', 'src/code.ts', 'src/comment.ts', 'src/x.test.ts'];
  const texts: Record<string, string> = {
    'packages/acme/src/a.ts': "export const id = 'acme';",
    'specs/acme.yaml': 'title: Acme',
    'src/code.ts': "// a comment\nexport const ids = ['ACME'];",
    'src/comment.ts': '/** Like Acme does. */\nexport const url = `http://example.com/${1}//x`; // or acme',
    'src/x.test.ts': "expect(id).toBe('acme');",
  };

  it('counts code naming the id in any case, not comments, tests, the own package or the spec', () => {
    expect(filesNaming('acme', 'packages/acme', files, (file) => texts[file] ?? '')).toEqual(['src/code.ts']);
  });

  it('keeps strings and template literals that look like comments', () => {
    expect(codeOf('a.mjs', 'const u = `x ${1} //acme`; // acme\n')).toContain('//acme');
    expect(codeOf('a.mjs', 'const u = `x ${1} //acme`; // acme\n')).not.toContain('// acme');
  });
});

describe.each(builtInProviders.map((module) => [module.id]))('%s', (id) => {
  it(`is named in at most ${maximumNamingFiles} files outside its own package and spec`, async () => {
    const naming = filesNaming(id, await ownFolder(id), repositoryFiles, readRepositoryFile(repositoryRoot));
    expect(naming.length, `files naming ${id}:\n  ${naming.join('\n  ')}`).toBeLessThanOrEqual(maximumNamingFiles);
  });

  it('has a spec that redocly.yaml lints and generates, a mock and demo accounts', async () => {
    expect(existsSync(path.join(repositoryRoot, 'specs', `${id}.yaml`))).toBe(true);
    // redocly.yaml is the one config openapi-typescript and the spec lint read: it lists each spec.
    const redocly = parse(readFileSync(path.join(repositoryRoot, 'redocly.yaml'), 'utf8')) as {
      apis: Record<string, { root: string }>;
    };
    expect(Object.values(redocly.apis).map((api) => api.root)).toContain(`specs/${id}.yaml`);
    expect(mockProviderIds).toContain(id);
    expect(existsSync(path.join(repositoryRoot, await ownFolder(id), 'demo.json'))).toBe(true);
  });
});
