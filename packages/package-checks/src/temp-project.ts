import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect } from 'vitest';

import type { PackedPackage } from './global-setup.js';
import {
  childEnvironment,
  describeRun,
  npmCommand,
  publishedPackages,
  readJson,
  repositoryRoot,
  run,
} from './workspace.js';

/** TypeScript as pinned by the repository (never 7.x), for the type-checks in the temp projects. */
export const typescriptVersion = readJson<{ devDependencies: Record<string, string> }>(
  path.join(repositoryRoot, 'package.json'),
).devDependencies.typescript;
/** The @types/node the repository has installed, so npm's cache usually already holds it. */
export const typesNodeVersion = readJson<{ version: string }>(
  path.join(repositoryRoot, 'node_modules/@types/node/package.json'),
).version;

/**
 * A fresh npm project outside the repository (in the OS temp directory), so nothing from the
 * monorepo's node_modules can leak in, with `specs` installed: our packages as tarball paths,
 * third-party ones by name (those come from the registry, or npm's cache).
 */
export async function createProject(prefix: string, specs: readonly string[]): Promise<string> {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(
    path.join(directory, 'package.json'),
    `${JSON.stringify({ name: 'aicredits-smoke-project', version: '0.0.0', private: true, description: 'temporary, made by @aicredits/package-checks' }, null, 2)}\n`,
  );
  const result = await run(npmCommand, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], {
    cwd: directory,
    env: childEnvironment(),
    timeout: 280_000,
  });
  if (result.code !== 0) {
    removeProject(directory);
    throw new Error(describeRun(`npm install in ${directory}`, result));
  }
  return directory;
}

export function removeProject(directory: string | undefined): void {
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
}

interface Lockfile {
  packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
}

/** Our packages came from the tarballs (never the registry), each exactly once (no nested copy). */
export function expectInstalledFromTarballs(directory: string, packages: readonly PackedPackage[]): void {
  const lock = readJson<Lockfile>(path.join(directory, 'package-lock.json'));
  for (const entry of packages) {
    const installed = lock.packages[`node_modules/${entry.name}`];
    expect(installed?.version, entry.name).toBe(entry.version);
    expect(installed?.resolved, `${entry.name} resolved from`).toMatch(/^file:.*\.tgz$/);
    const copies = Object.keys(lock.packages).filter((key) => key.endsWith(`node_modules/${entry.name}`));
    expect(copies, `copies of ${entry.name}`).toEqual([`node_modules/${entry.name}`]);
  }
}

/** The tarball of `name` and of every published package it depends on, directly or not. */
export function withInternalDependencies(packed: readonly PackedPackage[], name: string): PackedPackage[] {
  const manifests = new Map(publishedPackages().map((entry) => [entry.manifest.name, entry.manifest]));
  const wanted = new Set<string>();
  const visit = (current: string) => {
    if (wanted.has(current)) return;
    wanted.add(current);
    for (const dependency of Object.keys(manifests.get(current)?.dependencies ?? {})) {
      if (manifests.has(dependency)) visit(dependency);
    }
  };
  visit(name);
  return packed.filter((entry) => wanted.has(entry.name));
}
