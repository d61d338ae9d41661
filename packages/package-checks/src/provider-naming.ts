// Issue 11's "one list" bar, as a rule a test can hold: outside a provider's own package and its
// spec, the files whose code names it are the facade's list (packages/aicredits/src/providers.ts)
// and its package.json dependency, and at most a handful of others; both count. A file "names" a provider when its id appears in it, in any
// case, as `git grep -il <id>` finds it; in JavaScript and TypeScript only the code counts, not
// the comments (prose about a provider needs no change when one is added or removed).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

/** The most files outside its own package and spec that may name a built-in provider, the facade's two included. */
export const maximumNamingFiles = 6;

/**
 * Files that never count, each with the reason. Tests, fixtures and test helpers name providers
 * to check them; docs and examples show them; generated files are derived from the files that do.
 */
export const exclusions: readonly { readonly reason: string; readonly matches: (file: string) => boolean }[] = [
  { reason: 'a test', matches: (file) => /\.test\.[cm]?[jt]s$/.test(file) },
  {
    reason: 'test support or a fixture (a testing/, test-support/ or fixtures/ folder)',
    matches: (file) => /(^|\/)(testing|test-support|fixtures)\//.test(file),
  },
  {
    reason: "a promtool rule unit test (the monitor's alert rules, tested per provider)",
    matches: (file) => /(^|\/)[^/]*-unit-tests\.ya?ml$/.test(file),
  },
  { reason: 'documentation', matches: (file) => file.endsWith('.md') || file.startsWith('.changeset/') },
  {
    reason: 'a README example (an examples/ folder, run by the readme-examples test)',
    matches: (file) => /(^|\/)examples\//.test(file),
  },
  {
    reason: 'generated (npm run generate, npm install or npm run bench writes it)',
    matches: (file) =>
      /(^|\/)generated\//.test(file) || file === 'package-lock.json' || file === 'scripts/bench/results.json',
  },
];

const scriptExtensions = /\.[cm]?[jt]sx?$/;

/** A JavaScript or TypeScript file's code without its comments; any other file as it is. */
export function codeOf(file: string, text: string): string {
  if (!scriptExtensions.test(file)) return text;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

/** Whether a file is test code: a helper that imports vitest counts as a test, wherever it is. */
function importsVitest(file: string, text: string): boolean {
  return scriptExtensions.test(file) && /\bfrom ['"]vitest['"]/.test(text);
}

/**
 * The files (repository-relative, `/`-separated) that name `id` outside its own package folder and
 * `specs/<id>.yaml`, by the rules above. `read` gives a file's text.
 */
export function filesNaming(
  id: string,
  ownFolder: string,
  files: readonly string[],
  read: (file: string) => string,
): string[] {
  const pattern = new RegExp(id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const own = `${ownFolder.replace(/\/$/, '')}/`;
  return files.filter((file) => {
    if (file.startsWith(own) || file === `specs/${id}.yaml`) return false;
    if (exclusions.some((exclusion) => exclusion.matches(file))) return false;
    const text = read(file);
    if (!pattern.test(text) || importsVitest(file, text)) return false;
    return pattern.test(codeOf(file, text));
  });
}

/** Reads a repository file as text (binary files read as text never match an id by accident here). */
export function readRepositoryFile(root: string): (file: string) => string {
  return (file) => readFileSync(path.join(root, file), 'utf8');
}
