// "Are the types wrong?" on each packed tarball, through its programmatic core (what `attw --pack`
// runs): every entrypoint must resolve to types and an implementation in node10, node16 (CJS and
// ESM) and bundler resolution, with no problem of any kind.
import { readFileSync } from 'node:fs';

import { type Analysis, checkPackage, createPackageFromTarballData, type ResolutionKind } from '@arethetypeswrong/core';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { formatTable } from './workspace.js';

const packed = inject('packedPackages');
const resolutionKinds: readonly ResolutionKind[] = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];
const reportRows: string[][] = [];

describe.each(packed.map((entry) => [entry.name, entry] as const))('attw %s', (name, entry) => {
  it('resolves types and code for every entrypoint in every resolution mode, without problems', async () => {
    const result = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(entry.tarball))));
    expect(result.types, 'the package ships its own types').toEqual({ kind: 'included' });
    const analysis = result as Analysis;
    // node10 ignores the exports map, so a data file exported under another path (aicredits'
    // ./config.schema.json, at dist/) has no node10 resolution; nothing imports it as a module.
    const problems = analysis.problems.filter(
      (problem) =>
        !(
          problem.kind === 'NoResolution' &&
          problem.resolutionKind === 'node10' &&
          problem.entrypoint.endsWith('.json')
        ),
    );
    expect(problems).toEqual([]);
    const subpaths = Object.keys(analysis.entrypoints);
    expect(subpaths).toContain('.');
    for (const [subpath, info] of Object.entries(analysis.entrypoints)) {
      const cells = [name, subpath];
      for (const kind of resolutionKinds) {
        const resolution = info.resolutions[kind];
        // JSON files (package.json, aicredits' config.schema.json) are data, not modules with types.
        if (subpath.endsWith('.json')) {
          cells.push(resolution.implementationResolution ? 'json' : 'none');
          continue;
        }
        expect(resolution.resolution?.isTypeScript, `${subpath} ${kind} types`).toBe(true);
        expect(resolution.implementationResolution?.fileName, `${subpath} ${kind} implementation`).toMatch(/\.c?js$/);
        cells.push(resolution.resolution?.fileName.replace(/^\/node_modules\/(@[^/]+\/)?[^/]+\//, '') ?? '');
      }
      reportRows.push(cells);
    }
  });
});

afterAll(() => {
  if (reportRows.length === 0) return;
  console.log(
    `\nTypes resolved per entrypoint and mode (attw)\n${formatTable(['package', 'entrypoint', ...resolutionKinds], reportRows)}\n`,
  );
});
