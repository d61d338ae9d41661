import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TestProject } from 'vitest/node';

import { childEnvironment, describeRun, npmCommand, publishedPackages, repositoryRoot, run } from './workspace.js';

export interface PackedPackage {
  name: string;
  version: string;
  /** Folder under packages/. */
  folder: string;
  /** Absolute path of the .tgz, in a temporary directory outside the repository. */
  tarball: string;
  /** Paths inside the tarball, as npm reports them (relative to `package/`). */
  files: string[];
  size: number;
  unpackedSize: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packedPackages: PackedPackage[];
  }
}

interface NpmPackResult {
  name: string;
  version: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/**
 * Packs every published package once, with the same `npm pack` that `npm publish` uses, so that
 * each check looks at exactly what users would download. The tarballs live outside the
 * repository and are deleted when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const packages = publishedPackages();
  const unbuilt = packages.filter((entry) => !existsSync(path.join(entry.directory, 'dist')));
  if (unbuilt.length > 0) {
    throw new Error(
      `package-checks needs built packages; no dist/ in ${unbuilt.map((entry) => entry.folder).join(', ')}. ` +
        'Run `npm run build` at the repository root (`npm test` does it first).',
    );
  }
  const packDirectory = mkdtempSync(path.join(tmpdir(), 'aicredits-pack-'));
  const result = await run(
    npmCommand,
    [
      'pack',
      '--json',
      '--pack-destination',
      packDirectory,
      ...packages.flatMap((entry) => ['--workspace', entry.manifest.name]),
    ],
    { cwd: repositoryRoot, env: childEnvironment(), timeout: 120_000 },
  );
  if (result.code !== 0) {
    rmSync(packDirectory, { recursive: true, force: true });
    throw new Error(describeRun('npm pack', result));
  }
  const reports = JSON.parse(result.stdout) as NpmPackResult[];
  const packed: PackedPackage[] = packages.map((entry) => {
    const report = reports.find((candidate) => candidate.name === entry.manifest.name);
    if (report === undefined) throw new Error(`npm pack reported nothing for ${entry.manifest.name}`);
    return {
      name: report.name,
      version: report.version,
      folder: entry.folder,
      tarball: path.join(packDirectory, report.filename),
      files: report.files.map((file) => file.path).sort(),
      size: report.size,
      unpackedSize: report.unpackedSize,
    };
  });
  project.provide('packedPackages', packed);
  return () => rmSync(packDirectory, { recursive: true, force: true });
}
