// READMEs kept in step with the code, part 2: every ```ts block of every published package's README
// (and of the root README) type-checks with `tsc --noEmit --strict` against the built workspace
// packages. Each block is its own module in a temp project outside the repository whose
// node_modules links our package names to packages/<name> (so their exports maps and dist/*.d.ts
// are used, as a user would get them) and typescript, @types/node and vitest to the root's.
// A block with `<!-- not-checked -->` on the line just above is left out (there are none today).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { notCheckedMarker, readFencedBlocks } from './readme.js';
import { typescriptVersion } from './temp-project.js';
import {
  childEnvironment,
  describeRun,
  killRunningChildren,
  publishedPackages,
  readJson,
  repositoryRoot,
  run,
} from './workspace.js';

interface Snippet {
  /** README path relative to the repository root. */
  readme: string;
  /** 1-based README line of the opening fence. */
  line: number;
  /** File name inside the temp project. */
  file: string;
  code: string;
}

const readmes = [
  'README.md',
  ...publishedPackages().map((entry) => path.relative(repositoryRoot, path.join(entry.directory, 'README.md'))),
];

function collectSnippets(): { checked: Snippet[]; skipped: string[] } {
  const checked: Snippet[] = [];
  const skipped: string[] = [];
  for (const readme of readmes) {
    for (const block of readFencedBlocks(path.join(repositoryRoot, readme))) {
      if (block.language !== 'ts' && block.language !== 'typescript') continue;
      if (block.marker === notCheckedMarker) {
        skipped.push(`${readme}:${block.line}`);
        continue;
      }
      const file = `${readme.replace(/\/README\.md$|README\.md$/, '').replaceAll('/', '-') || 'root'}-line-${block.line}.ts`;
      // `export {}` makes every block a module: their top-level names cannot clash.
      checked.push({ readme, line: block.line, file, code: `${block.lines.join('\n')}\nexport {};\n` });
    }
  }
  return { checked, skipped };
}

const { checked: snippets, skipped } = collectSnippets();
let project: string | undefined;

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'aicredits-readme-snippets-'));
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'aicredits-readme-snippets', private: true, type: 'module' }, null, 2)}\n`,
  );
  const modules = path.join(project, 'node_modules');
  const link = (name: string, target: string) => {
    mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    symlinkSync(target, path.join(modules, name), 'junction');
  };
  for (const entry of publishedPackages()) link(entry.manifest.name, entry.directory);
  for (const name of ['typescript', '@types/node', 'vitest'])
    link(name, path.join(repositoryRoot, 'node_modules', name));
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          // Our .d.ts files are checked by smoke-full.test.ts; here only the snippets are.
          skipLibCheck: true,
          types: ['node'],
        },
        files: snippets.map((snippet) => snippet.file),
      },
      null,
      2,
    ),
  );
  for (const snippet of snippets) writeFileSync(path.join(project, snippet.file), snippet.code);
});

afterAll(() => {
  killRunningChildren();
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

describe('TypeScript snippets in the READMEs', () => {
  it('are there to check, and none is skipped', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    expect(skipped, `blocks marked ${notCheckedMarker}`).toEqual([]);
  });

  it(`type-check with tsc ${typescriptVersion} (strict) against the built packages`, async () => {
    const tsc = path.join(repositoryRoot, 'node_modules/typescript');
    expect(readJson<{ version: string }>(path.join(tsc, 'package.json')).version).toBe(typescriptVersion);
    const result = await run(
      process.execPath,
      [path.join(tsc, 'bin/tsc'), '--pretty', 'false', '-p', 'tsconfig.json'],
      {
        cwd: project!,
        env: childEnvironment(),
        timeout: 200_000,
      },
    );
    // Point each error at the README line it comes from.
    const byFile = new Map(snippets.map((snippet) => [snippet.file, snippet]));
    const errors = result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) =>
        line.replace(/^([^(]+)\((\d+),(\d+)\)/, (whole, file: string, line: string, column: string) => {
          const snippet = byFile.get(file);
          return snippet === undefined ? whole : `${snippet.readme}:${snippet.line + Number(line)}:${column}`;
        }),
      );
    expect(errors, describeRun('tsc --noEmit', result)).toEqual([]);
    expect(result.code, describeRun('tsc --noEmit', result)).toBe(0);
  }, 240_000);
});
