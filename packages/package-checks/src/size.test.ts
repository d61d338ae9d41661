// Size budgets: each entry bundled the way an application would (esbuild: bundle, minify, ESM,
// dependencies such as openapi-fetch included), gzipped with node:zlib and compared with
// size-budgets.json. Browser platform for the clients, core and facade, so a Node builtin creeping
// into them fails the build; Node platform for the CLI subpath. The mock is excluded (see the JSON).
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterAll, describe, expect, it } from 'vitest';

import { bundle } from './bundle.js';
import { formatTable, packageChecksDirectory, publishedPackages, readJson } from './workspace.js';

interface SizeBudgets {
  entries: { entry: string; platform: 'browser' | 'node'; budget: number }[];
  excluded: Record<string, string>;
}

const budgets = readJson<SizeBudgets>(path.join(packageChecksDirectory, 'size-budgets.json'));
const report: { entry: string; platform: string; minified: number; gzip: number; budget: number }[] = [];

describe('size budgets', () => {
  it('cover every exported entry of every published package, or say why not', () => {
    for (const { manifest } of publishedPackages()) {
      if (manifest.name in budgets.excluded) {
        expect(budgets.excluded[manifest.name]?.length ?? 0, `${manifest.name}: a reason`).toBeGreaterThan(20);
        continue;
      }
      // JSON files (package.json, aicredits' config.schema.json) are data, never bundled code.
      const subpaths = Object.keys(manifest.exports ?? {}).filter((subpath) => !subpath.endsWith('.json'));
      for (const subpath of subpaths) {
        const entry = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
        expect(
          budgets.entries.map((candidate) => candidate.entry),
          `a budget for ${entry}`,
        ).toContain(entry);
      }
    }
  });

  it.each(budgets.entries.map((entry) => [entry.entry, entry] as const))(
    '%s fits its budget',
    async (_name, { entry, platform, budget }) => {
      // `export *`: everything the entry exports, so nothing is tree-shaken away.
      const { code, inputs } = await bundle(`export * from '${entry}';`, platform);
      const minified = code.byteLength;
      const gzip = gzipSync(code, { level: 9 }).byteLength;
      report.push({ entry, platform, minified, gzip, budget });
      // What it pulls in really is counted: openapi-fetch comes with every entry.
      expect(inputs.some((input) => input.includes('node_modules/openapi-fetch/'))).toBe(true);
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
  for (const name of Object.keys(budgets.excluded)) rows.push([name, 'excluded', '-', '-', '-', '-']);
  console.log(
    `\nSize report (esbuild bundle+minify, gzip -9)\n${formatTable(['package entry', 'platform', 'min bytes', 'min+gzip bytes', 'budget', 'used'], rows)}\n` +
      Object.entries(budgets.excluded)
        .map(([name, reason]) => `${name} excluded: ${reason}`)
        .join('\n') +
      '\n',
  );
});
