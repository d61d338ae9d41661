// The release flow without releasing: `changeset version` on a scratch copy of the repository's
// manifests and changesets (the real repository is never touched), then `npm publish --dry-run` of
// every real, built package against a local registry stand-in that must never be called.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import {
  childEnvironment,
  describeRun,
  killRunningChildren,
  npmCommand,
  type PackageJson,
  publishedPackages,
  readJson,
  repositoryRoot,
  run,
  workspacePackages,
} from './workspace.js';

const packed = inject('packedPackages');
const published = publishedPackages();
const dryRunSummary = 'Release dry run of @aicredits/package-checks.';

function compareVersions(a: string, b: string): number {
  const parse = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);
  const [left, right] = [parse(a), parse(b)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The packages a changeset file names in its front matter (with their bumps), and its first summary line. */
function parseChangeset(text: string): { packages: string[]; bumps: Map<string, string>; summary: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, '\n'));
  if (!match) return { packages: [], bumps: new Map(), summary: '' };
  const lines = [...(match[1] ?? '').matchAll(/^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/gm)];
  return {
    packages: lines.map((line) => line[1]!),
    bumps: new Map(lines.map((line) => [line[1]!, line[2]!])),
    summary: (match[2] ?? '').trim().split('\n')[0] ?? '',
  };
}

describe('changeset version on a scratch copy', () => {
  let scratch: string;
  const before = new Map(workspacePackages().map((entry) => [entry.manifest.name, entry.manifest]));
  const realChangesets = readdirSync(path.join(repositoryRoot, '.changeset')).filter(
    (name) => name.endsWith('.md') && name !== 'README.md',
  );

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'aicredits-release-'));
    cpSync(path.join(repositoryRoot, 'package.json'), path.join(scratch, 'package.json'));
    cpSync(path.join(repositoryRoot, '.changeset'), path.join(scratch, '.changeset'), { recursive: true });
    for (const entry of workspacePackages()) {
      const target = path.join(scratch, 'packages', entry.folder);
      mkdirSync(target, { recursive: true });
      cpSync(path.join(entry.directory, 'package.json'), path.join(target, 'package.json'));
      if (existsSync(path.join(entry.directory, 'CHANGELOG.md'))) {
        cpSync(path.join(entry.directory, 'CHANGELOG.md'), path.join(target, 'CHANGELOG.md'));
      }
    }
    // So the copy finds @changesets/cli and its changelog generator as the repository does.
    symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    // Whatever is pending in the repository, every published package gets at least a patch.
    writeFileSync(
      path.join(scratch, '.changeset', 'package-checks-dry-run.md'),
      `---\n${published.map((entry) => `'${entry.manifest.name}': patch`).join('\n')}\n---\n\n${dryRunSummary}\n`,
    );
  });

  afterAll(() => {
    killRunningChildren();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('bumps every published package, writes its CHANGELOG and updates internal ranges', async () => {
    const result = await run(
      process.execPath,
      [path.join(repositoryRoot, 'node_modules/@changesets/cli/bin.js'), 'version'],
      {
        cwd: scratch,
        env: childEnvironment(),
        timeout: 180_000,
      },
    );
    expect(result.code, describeRun('changeset version', result)).toBe(0);

    const after = new Map<string, PackageJson>();
    for (const entry of workspacePackages()) {
      after.set(
        entry.manifest.name,
        readJson<PackageJson>(path.join(scratch, 'packages', entry.folder, 'package.json')),
      );
    }
    const pending = realChangesets.map((name) =>
      parseChangeset(readFileSync(path.join(repositoryRoot, '.changeset', name), 'utf8')),
    );

    for (const entry of published) {
      const name = entry.manifest.name;
      const oldVersion = before.get(name)!.version;
      const newVersion = after.get(name)!.version;
      expect(compareVersions(newVersion, oldVersion), `${name}: ${oldVersion} -> ${newVersion}`).toBeGreaterThan(0);
      // Changesets bumps a package major when a peer dependency of it leaves its range (aicredits'
      // optional peer @aicredits/monitor: a 0.x minor does). A major no changeset asked for is a
      // mistake in a changeset, not a release.
      const askedForMajor = pending.some((changeset) => changeset.bumps.get(name) === 'major');
      if (!askedForMajor) {
        expect(newVersion.split('.')[0], `${name}: ${oldVersion} -> ${newVersion}, a major no changeset asks for`).toBe(
          oldVersion.split('.')[0],
        );
      }

      const changelog = readFileSync(path.join(scratch, 'packages', entry.folder, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${name}\n`), `${name} CHANGELOG title`).toBe(true);
      expect(changelog).toContain(`## ${newVersion}\n`);
      expect(changelog).toContain(dryRunSummary);
      for (const changeset of pending) {
        if (changeset.packages.includes(name))
          expect(changelog, `${name}: pending changeset`).toContain(changeset.summary);
      }

      // Every internal runtime dependency now asks for the dependency's new version.
      for (const [dependency, range] of Object.entries(after.get(name)!.dependencies ?? {})) {
        const dependencyAfter = after.get(dependency);
        if (dependencyAfter === undefined) continue;
        expect(range, `${name} -> ${dependency}`).toBe(`^${dependencyAfter.version}`);
      }
    }

    // Private packages are never versioned (privatePackages.version: false).
    for (const entry of workspacePackages().filter((candidate) => candidate.manifest.private === true)) {
      expect(after.get(entry.manifest.name)!.version).toBe(entry.manifest.version);
    }
    // The changesets were consumed in the copy only.
    expect(
      readdirSync(path.join(scratch, '.changeset')).filter((name) => name.endsWith('.md') && name !== 'README.md'),
    ).toEqual([]);
    for (const name of realChangesets) expect(existsSync(path.join(repositoryRoot, '.changeset', name))).toBe(true);
    for (const entry of workspacePackages())
      expect(entry.manifest.version).toBe(before.get(entry.manifest.name)?.version);
  });

  it('has the release scripts: changeset, version-packages and release (version + build + publish)', () => {
    const scripts = readJson<PackageJson & { scripts: Record<string, string> }>(
      path.join(repositoryRoot, 'package.json'),
    ).scripts;
    expect(scripts.changeset).toBe('changeset');
    expect(scripts['version-packages']).toBe('changeset version');
    expect(scripts.release).toMatch(/^changeset version && .*build.*&& changeset publish$/);
    const config = readJson<Record<string, unknown>>(path.join(repositoryRoot, '.changeset/config.json'));
    expect(config).toMatchObject({ access: 'public', updateInternalDependencies: 'patch', fixed: [], linked: [] });
  });
});

describe('npm publish --dry-run', () => {
  let registry: Server;
  let registryUrl: string;
  const requests: { method: string; url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    // A stand-in registry on 127.0.0.1 where nothing is published yet (like npm for a first
    // release): npm 11's dry run reads the package document, unauthenticated, to refuse a version
    // that already exists, and must never send anything else.
    registry = createServer((request, response) => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
      });
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    killRunningChildren();
    await new Promise((resolve) => registry?.close(resolve));
  });

  it('packs every published package from its real directory, needing no login and publishing nothing', async () => {
    const results = await Promise.all(
      published.map(async (entry) => ({
        entry,
        result: await run(npmCommand, ['publish', '--dry-run', '--json', '--registry', registryUrl], {
          cwd: entry.directory,
          // No token anywhere: a dry run must work logged out.
          env: childEnvironment({
            npm_config_userconfig: path.join(tmpdir(), 'aicredits-no-npmrc'),
            npm_config_loglevel: 'notice',
          }),
          timeout: 180_000,
        }),
      })),
    );
    for (const { entry, result } of results) {
      const name = entry.manifest.name;
      expect(result.code, describeRun(`npm publish --dry-run (${name})`, result)).toBe(0);
      const report = JSON.parse(result.stdout) as Record<string, { id: string; files: { path: string }[] }>;
      const dryRun = report[name] ?? (report as unknown as { id: string; files: { path: string }[] });
      expect(dryRun.id).toBe(`${name}@${entry.manifest.version}`);
      // Public access (publishConfig) and exactly the files of the tarball the other checks use.
      expect(result.stderr).toMatch(/with tag latest and public access \(dry-run\)/);
      expect(dryRun.files.map((file) => file.path).sort()).toEqual(
        packed.find((candidate) => candidate.name === name)?.files,
      );
    }
    const documents = new Set(published.map((entry) => `/${entry.manifest.name.replace('/', '%2f')}`));
    for (const request of requests) {
      expect(request.method, request.url).toBe('GET');
      expect(documents.has(request.url), request.url).toBe(true);
      expect(request.authorization).toBeUndefined();
    }
  });
});
