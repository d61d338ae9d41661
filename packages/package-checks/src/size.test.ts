// Size budgets: each entry bundled the way an application would (esbuild: bundle, minify, ESM,
// dependencies such as openapi-fetch included), gzipped with node:zlib and compared with the
// budget in the package's own size-budget.json (no list here: a new package brings its budget).
// Browser platform for the clients, core and facade, so a Node builtin creeping into them fails
// the build; Node platform for the CLI subpath. The mock and the monitor are excluded, each
// saying why in its size-budget.json.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterAll, describe, expect, it } from 'vitest';

import { bundle } from './bundle.js';
import { formatTable, publishedPackages, readJson } from './workspace.js';

/** A package's size-budget.json: a budget per exported subpath, or why it has none. */
interface SizeBudget {
  entries?: Record<string, { platform: 'browser' | 'node'; budget: number; bundles?: string[] }>;
  excluded?: string;
}

const budgets = publishedPackages().map(({ directory, manifest }) => {
  const file = path.join(directory, 'size-budget.json');
  return { manifest, file, budget: existsSync(file) ? readJson<SizeBudget>(file) : undefined };
});
const entries = budgets.flatMap(({ manifest, budget }) =>
  Object.entries(budget?.entries ?? {}).map(([subpath, { platform, budget: bytes, bundles = ['openapi-fetch'] }]) => ({
    entry: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
    platform,
    budget: bytes,
    bundles,
  })),
);
const excluded = Object.fromEntries(
  budgets.flatMap(({ manifest, budget }) => (budget?.excluded === undefined ? [] : [[manifest.name, budget.excluded]])),
);
const report: { entry: string; platform: string; minified: number; gzip: number; budget: number }[] = [];

describe('size budgets', () => {
  it('cover every exported entry of every published package, or say why not', () => {
    for (const { manifest, file, budget } of budgets) {
      expect(budget, `${file}: a size budget`).toBeDefined();
      if (budget?.excluded !== undefined) {
        expect(budget.excluded.length, `${manifest.name}: a reason`).toBeGreaterThan(20);
        continue;
      }
      // JSON files (package.json, aicredits' config.schema.json) are data, never bundled code.
      const subpaths = Object.keys(manifest.exports ?? {}).filter((subpath) => !subpath.endsWith('.json'));
      expect(Object.keys(budget?.entries ?? {}).sort(), `${file}: one budget per exported entry`).toEqual(
        subpaths.sort(),
      );
    }
  });

  it.each(entries.map((entry) => [entry.entry, entry] as const))(
    '%s fits its budget',
    async (_name, { entry, platform, budget, bundles }) => {
      // `export *`: everything the entry exports, so nothing is tree-shaken away.
      const { code, inputs } = await bundle(`export * from '${entry}';`, platform);
      const minified = code.byteLength;
      const gzip = gzipSync(code, { level: 9 }).byteLength;
      report.push({ entry, platform, minified, gzip, budget });
      // What it pulls in really is counted: openapi-fetch comes with every entry that makes requests.
      for (const dependency of bundles) {
        expect(
          inputs.some((input) => input.includes(`node_modules/${dependency}/`)),
          `${entry} bundles ${dependency}`,
        ).toBe(true);
      }
      expect(gzip, `${entry}: ${gzip} B min+gzip, budget ${budget} B`).toBeLessThanOrEqual(budget);
    },
  );
});

afterAll(() => {
  if (report.length === 0) return;
  const rows = report.map((row) => [
    row.entry,
    row.platform,
    String(row.minified),
    String(row.gzip),
    String(row.budget),
    `${Math.round((row.gzip / row.budget) * 100)}%`,
  ]);
  for (const name of Object.keys(excluded)) rows.push([name, 'excluded', '-', '-', '-', '-']);
  console.log(
    `\nSize report (esbuild bundle+minify, gzip -9)\n${formatTable(['package entry', 'platform', 'min bytes', 'min+gzip bytes', 'budget', 'used'], rows)}\n` +
      Object.entries(excluded)
        .map(([name, reason]) => `${name} excluded: ${reason}`)
        .join('\n') +
      '\n',
  );
});
