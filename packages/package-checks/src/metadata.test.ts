// What every published package.json and tarball must look like, beyond what publint checks:
// the fields users and registries read, internal dependency ranges that resolve once published,
// and tarballs holding only what users need.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, inject, it } from 'vitest';

import { formatTable, type PackageJson, publishedPackages, workspacePackages } from './workspace.js';

const packed = inject('packedPackages');
const published = publishedPackages();
const publishedNames = new Set(published.map((entry) => entry.manifest.name));
const repositoryUrl = 'git+https://github.com/aicredits/aicredits.git';

/** What may ship: builds, bins, docs, the mock's specs and the facade's node10 stub for `aicredits/cli`. */
const allowedInTarball: readonly RegExp[] = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE(\.md)?$/,
  /^dist\/.+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map)$/,
  /^bin\/[^/]+\.js$/,
];
const allowedPerPackage: Record<string, readonly RegExp[]> = {
  '@aicredits/mock': [/^specs\/[a-z]+\.yaml$/],
  // Where node10 resolution (no exports map) finds the provider-utils subpath.
  '@aicredits/core': [/^provider-utils\/package\.json$/],
  aicredits: [/^cli\/package\.json$/, /^dist\/config\.schema\.json$/],
  // The dashboard is served as it is (no build step for the user); the Prometheus rules, their promtool
  // unit tests and the Grafana dashboard are for users to load into their own servers.
  '@aicredits/monitor': [/^dashboard\/[a-z-]+\.(html|css|js)$/, /^prometheus\/[a-z-]+\.(yml|json)$/],
};

describe.each(published.map((entry) => [entry.manifest.name, entry] as const))('%s package.json', (name, entry) => {
  const manifest = entry.manifest;

  it('has the metadata npm and users read', () => {
    expect(manifest.license).toBe('MIT');
    expect(manifest.description, 'description').toEqual(expect.any(String));
    expect(manifest.keywords?.length ?? 0, 'keywords').toBeGreaterThan(0);
    expect(manifest.repository).toEqual({ type: 'git', url: repositoryUrl, directory: `packages/${entry.folder}` });
    expect(manifest.engines?.node, 'engines.node').toMatch(/^>=\d+/);
    expect(
      manifest.publishConfig,
      'scoped packages are private on npm unless published with public access',
    ).toMatchObject({ access: 'public' });
    expect(manifest.sideEffects, 'sideEffects').toBe(false);
    expect(manifest.type).toBe('module');
  });

  it('has an exports map with types first for import and require, plus the node10 fields', () => {
    const exportsMap = manifest.exports as Record<string, unknown>;
    expect(Object.keys(exportsMap)).toContain('.');
    expect(exportsMap['./package.json']).toBe('./package.json');
    for (const [subpath, target] of Object.entries(exportsMap)) {
      if (subpath === './package.json') continue;
      // A data file (aicredits' config.schema.json) is exported as it is, from the build.
      if (subpath.endsWith('.json')) {
        expect(target, subpath).toMatch(/^\.\/dist\/[^/]+\.json$/);
        continue;
      }
      const conditions = target as Record<string, Record<string, string>>;
      expect(Object.keys(conditions), subpath).toEqual(['import', 'require']);
      expect(Object.keys(conditions.import ?? {}), `${subpath} import`).toEqual(['types', 'default']);
      expect(Object.keys(conditions.require ?? {}), `${subpath} require`).toEqual(['types', 'default']);
      expect(conditions.import?.types, `${subpath} import types`).toMatch(/\.d\.ts$/);
      expect(conditions.import?.default, `${subpath} import default`).toMatch(/\.js$/);
      expect(conditions.require?.types, `${subpath} require types`).toMatch(/\.d\.cts$/);
      expect(conditions.require?.default, `${subpath} require default`).toMatch(/\.cjs$/);
    }
    const root = exportsMap['.'] as Record<string, Record<string, string>>;
    expect(manifest.main).toBe(root.require?.default);
    expect(manifest.module).toBe(root.import?.default);
    expect(manifest.types).toBe(root.require?.types);
  });

  it('depends on internal packages with ranges that resolve from the registry', () => {
    const all = workspacePackages();
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
      for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
        const internal = all.find((candidate) => candidate.manifest.name === dependency);
        if (internal === undefined) continue;
        expect(publishedNames.has(dependency), `${field}.${dependency} must be a published package`).toBe(true);
        // `*`, `workspace:`, `file:` and `link:` mean nothing (or the wrong thing) on the registry.
        expect(range, `${field}.${dependency}`).toBe(`^${internal.manifest.version}`);
      }
    }
  });

  it('has bin files that are node scripts shipped in the tarball', () => {
    const files = packed.find((candidate) => candidate.name === name)?.files ?? [];
    for (const [command, target] of Object.entries(manifest.bin ?? {})) {
      const relative = path.posix.normalize(target);
      expect(files, `bin ${command}`).toContain(relative);
      expect(readFileSync(path.join(entry.directory, relative), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    }
  });
});

describe.each(packed.map((entry) => [entry.name, entry] as const))('%s tarball', (name, entry) => {
  it('holds only what users need', () => {
    const allowed = [...allowedInTarball, ...(allowedPerPackage[name] ?? [])];
    const unexpected = entry.files.filter((file) => !allowed.some((pattern) => pattern.test(file)));
    expect(unexpected, 'files outside the allowlist (tests, sources, configs?)').toEqual([]);
    expect(entry.files.filter((file) => /\.test\.|(^|\/)src\//.test(file))).toEqual([]);
  });

  it('ships the MIT licence text and its README', () => {
    expect(entry.files).toContain('LICENSE');
    expect(entry.files).toContain('README.md');
  });

  it('holds every file the exports map and main/module/types point to', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(published.find((p) => p.manifest.name === name)!.directory, 'package.json'), 'utf8'),
    ) as PackageJson;
    const targets = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.add(path.posix.normalize(value));
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(manifest.exports);
    collect([manifest.main, manifest.module, manifest.types].filter(Boolean));
    for (const target of targets) expect(entry.files, target).toContain(target);
  });
});

it('checks every published package (the list is read from packages/*)', () => {
  expect(packed.map((entry) => entry.name).sort()).toEqual([...publishedNames].sort());
  expect([...publishedNames].sort()).toEqual(
    expect.arrayContaining([
      '@aicredits/core',
      '@aicredits/crowdcomputed',
      '@aicredits/imaginepro',
      '@aicredits/iqqz',
      '@aicredits/mock',
      '@aicredits/pixverse',
      'aicredits',
    ]),
  );
});

afterAll(() => {
  const rows = packed.map((entry) => [
    entry.name,
    String(entry.files.length),
    String(entry.size),
    String(entry.unpackedSize),
  ]);
  console.log(`\nTarballs (npm pack)\n${formatTable(['package', 'files', 'packed bytes', 'unpacked bytes'], rows)}\n`);
});

describe('openapi-fetch ranges', () => {
  const users = published.filter((entry) => entry.manifest.dependencies?.['openapi-fetch'] !== undefined);
  // Every built module, shared chunks included (the core's entries share theirs).
  const builtCode = (entry: (typeof published)[number]) =>
    readdirSync(path.join(entry.directory, 'dist'))
      .filter((file) => /\.c?js$/.test(file))
      .map((file) => readFileSync(path.join(entry.directory, 'dist', file), 'utf8'))
      .join('\n');

  it("a caret range where the built code imports only its types (it dedupes with a user's own), exact where it runs", () => {
    const rows = users.map((entry) => {
      const runsIt = /(?:from\s*|require\()\s*["']openapi-fetch["']/.test(builtCode(entry));
      return { name: entry.manifest.name, runsIt, range: entry.manifest.dependencies!['openapi-fetch']! };
    });
    for (const row of rows) {
      expect(row.range, `${row.name} (runs openapi-fetch: ${row.runsIt})`).toMatch(
        row.runsIt ? /^\d+\.\d+\.\d+$/ : /^\^\d+\.\d+\.\d+$/,
      );
    }
    // The four provider packages use its `Client` type only.
    expect(
      rows
        .filter((row) => !row.runsIt)
        .map((row) => row.name)
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        '@aicredits/crowdcomputed',
        '@aicredits/imaginepro',
        '@aicredits/iqqz',
        '@aicredits/pixverse',
      ]),
    );
  });
});
