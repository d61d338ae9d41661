// The API reference (`npm run docs`: TypeDoc, typedoc.json at the root, output in docs/api/) builds
// with zero warnings, covers every published package, and has pages for the main entry points.
// It builds into a temp directory here; the repository's docs/api/ is never touched.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { minimatch } from 'minimatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  childEnvironment,
  describeRun,
  killRunningChildren,
  publishedPackages,
  readJson,
  repositoryRoot,
  run,
  type RunResult,
  workspacePackages,
} from './workspace.js';

interface TypedocConfig {
  entryPointStrategy?: string;
  entryPoints?: string[];
  exclude?: string[];
  out?: string;
  readme?: string;
  treatWarningsAsErrors?: boolean;
  externalPattern?: string[];
}

const rootConfig = readJson<TypedocConfig>(path.join(repositoryRoot, 'typedoc.json'));
let outDirectory: string | undefined;
let build: RunResult | undefined;
let buildMs = 0;

beforeAll(async () => {
  outDirectory = mkdtempSync(path.join(tmpdir(), 'aicredits-docs-'));
  const started = Date.now();
  // The same command as `npm run docs`, from the repository root (typedoc.json's paths are relative
  // to it), with the output redirected.
  build = await run(
    process.execPath,
    [path.join(repositoryRoot, 'node_modules/typedoc/bin/typedoc'), '--out', outDirectory],
    { cwd: repositoryRoot, env: childEnvironment(), timeout: 200_000 },
  );
  buildMs = Date.now() - started;
}, 240_000);

afterAll(() => {
  killRunningChildren();
  if (outDirectory !== undefined) rmSync(outDirectory, { recursive: true, force: true });
});

/** Generated HTML files under `docs/<folder>/` whose name ends with `.<symbol>.html`. */
function pagesFor(folder: string, symbol: string): string[] {
  const directory = path.join(outDirectory!, folder);
  if (!existsSync(directory)) return [];
  return readdirSync(directory).filter((file) => file.endsWith(`.${symbol}.html`));
}

describe('TypeDoc API reference (npm run docs)', () => {
  it('is configured for every published package, with the root README as front page', () => {
    expect(rootConfig.entryPointStrategy).toBe('packages');
    expect(rootConfig.out).toBe('docs/api');
    expect(rootConfig.readme).toBe('README.md');
    expect(rootConfig.treatWarningsAsErrors).toBe(true);
    // Discovered, not listed: every package under packages/ but the private ones excluded.
    const documented = workspacePackages()
      .map((entry) => `packages/${entry.folder}`)
      .filter((folder) => (rootConfig.entryPoints ?? []).some((pattern) => minimatch(folder, pattern)))
      .filter((folder) => !(rootConfig.exclude ?? []).some((pattern) => minimatch(folder, pattern)));
    expect(documented.sort()).toEqual(
      publishedPackages()
        .map((entry) => `packages/${entry.folder}`)
        .sort(),
    );
    const rootManifest = readJson<{ scripts: Record<string, string>; devDependencies: Record<string, string> }>(
      path.join(repositoryRoot, 'package.json'),
    );
    expect(rootManifest.scripts.docs).toBe('typedoc');
    expect(rootManifest.devDependencies.typedoc).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(path.join(repositoryRoot, '.gitignore'), 'utf8')).toMatch(/^docs\/api\/$/m);
  });

  it('documents what a package re-exports from another of ours only once, where it is declared', () => {
    // Each package's typedoc.json marks the sources of its internal dependencies as external, so
    // that e.g. RateLimitError is documented in @aicredits/core and not again in every client.
    const folders = new Map(publishedPackages().map((entry) => [entry.manifest.name, entry.folder]));
    for (const entry of publishedPackages()) {
      const internal = Object.keys(entry.manifest.dependencies ?? {}).filter((name) => folders.has(name));
      if (internal.length === 0) continue;
      const file = path.join(entry.directory, 'typedoc.json');
      expect(existsSync(file), `${entry.folder}/typedoc.json`).toBe(true);
      const patterns = readJson<TypedocConfig>(file).externalPattern ?? [];
      expect(patterns, `${entry.folder}/typedoc.json externalPattern`).toContain('**/node_modules/**');
      const external = (file: string) => patterns.some((pattern) => minimatch(file, pattern));
      for (const dependency of internal) {
        expect(
          external(`../${folders.get(dependency)}/src/index.ts`),
          `${entry.folder}/typedoc.json: ${dependency}`,
        ).toBe(true);
      }
      expect(external(`../${entry.folder}/src/index.ts`), `${entry.folder}/typedoc.json: not its own sources`).toBe(
        false,
      );
    }
  });

  it('has README relative links that point at something that exists', () => {
    // TypeDoc checks the anchors (validation.invalidLink) but, in packages mode, cannot check a
    // package README's relative paths without warning about every link to a sibling package
    // (each package is converted alone), so typedoc.json turns that check off per package and
    // it is done here instead.
    const readmes = [
      path.join(repositoryRoot, 'README.md'),
      ...publishedPackages().map((entry) => path.join(entry.directory, 'README.md')),
    ];
    const broken: string[] = [];
    for (const readme of readmes) {
      // Fenced code is not Markdown: drop it before looking for links.
      const text = readFileSync(readme, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:|^#|^\/\//i.test(target!)) continue;
        const file = decodeURIComponent(target!.replace(/[#?].*$/, ''));
        if (!existsSync(path.resolve(path.dirname(readme), file))) {
          broken.push(`${path.relative(repositoryRoot, readme)}: ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('builds with zero warnings and errors', () => {
    console.log(`TypeDoc built the API reference in ${(buildMs / 1000).toFixed(1)} s`);
    expect(build!.code, describeRun('typedoc', build!)).toBe(0);
    const problems = `${build!.stdout}\n${build!.stderr}`
      .split('\n')
      .filter((line) => /\[(warning|error)\]/.test(line));
    expect(problems, describeRun('typedoc', build!)).toEqual([]);
  });

  it('has the root README as front page and a module page per published package', () => {
    const index = readFileSync(path.join(outDirectory!, 'index.html'), 'utf8');
    expect(index).toContain('See and watch your credits across AI image and video generation APIs.');
    const modules = readFileSync(path.join(outDirectory!, 'modules.html'), 'utf8');
    for (const entry of publishedPackages()) expect(modules, entry.manifest.name).toContain(entry.manifest.name);
    // A package's README is its module page.
    const corePage = readFileSync(path.join(outDirectory!, 'modules/_aicredits_core.html'), 'utf8');
    expect(corePage).toContain('The small core every aicredits client is built on');
  });

  it.each([
    ['functions', 'createCrowdComputed'],
    ['functions', 'createPixVerse'],
    ['functions', 'createImaginePro'],
    ['functions', 'createIqqz'],
    ['functions', 'createAccounts'],
    ['functions', 'startMockServers'],
    ['functions', 'main'],
    ['classes', 'RateLimitError'],
    ['classes', 'AuthenticationError'],
    ['interfaces', 'Balance'],
  ])('has one page in %s/ for %s', (folder, symbol) => {
    expect(pagesFor(folder, symbol)).toHaveLength(1);
  });

  it('links a client to the Balance of @aicredits/core', () => {
    const [page] = pagesFor('interfaces', 'PixVerse');
    expect(page).toBeDefined();
    const html = readFileSync(path.join(outDirectory!, 'interfaces', page!), 'utf8');
    expect(html).toContain(`href="${pagesFor('interfaces', 'Balance')[0]}"`);
  });
});
