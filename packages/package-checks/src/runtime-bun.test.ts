// Bun joins Node and Deno: the same smoke script (fixtures/runtimes/smoke.mjs) and the `aicredits`
// bin run under Bun against the packed tarballs, installed by npm into a fresh project; the mock
// servers run in this (Node) test process. Bun's binary comes from the `bun` npm package's platform
// package (e.g. @oven/bun-linux-x64), which npm installs as a plain optional dependency.
import { cpSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import {
  cliConfig,
  comparableSmokeOutput,
  expectRuntimeSmokeOutput,
  fakeKeys,
  parseJsonOutput,
  type RuntimeSmokeOutput,
} from './expectations.js';
import { createProject, expectInstalledFromTarballs, removeProject, withInternalDependencies } from './temp-project.js';
import {
  childEnvironment,
  describeRun,
  fixturesDirectory,
  killRunningChildren,
  packageChecksDirectory,
  readJson,
  run,
} from './workspace.js';

const packed = inject('packedPackages');
const installed = withInternalDependencies(packed, 'aicredits');

/**
 * Bun's executable: the platform package's `bin/bun` as npm unpacked it; where the `bun` package's
 * postinstall ran, it moved that file to `bun/bin/bun.exe` (a 600-byte placeholder otherwise).
 */
function bunExecutable(): string {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const musl = process.platform === 'linux' && report?.header?.glibcVersionRuntime === undefined ? '-musl' : '';
  const platformPackage = `@oven/bun-${process.platform}-${process.arch === 'arm64' ? 'aarch64' : process.arch}${musl}`;
  const fromPackageChecks = createRequire(path.join(packageChecksDirectory, 'package.json'));
  const bunPackage = path.dirname(fromPackageChecks.resolve('bun/package.json'));
  const candidates = [path.join(bunPackage, 'bin', 'bun.exe')];
  try {
    const manifest = createRequire(path.join(bunPackage, 'package.json')).resolve(`${platformPackage}/package.json`);
    candidates.unshift(path.join(path.dirname(manifest), 'bin', process.platform === 'win32' ? 'bun.exe' : 'bun'));
  } catch {
    // Not installed: only the postinstall's copy can be there.
  }
  const binary = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).size > 1_000_000);
  if (binary === undefined) {
    throw new Error(
      `no Bun binary: ${platformPackage} (an optional dependency of the \`bun\` devDependency of ` +
        '@aicredits/package-checks) is not installed. Run `npm install` at the repository root.',
    );
  }
  return binary;
}

const bunVersion =
  readJson<{ devDependencies: Record<string, string> }>(path.join(packageChecksDirectory, 'package.json'))
    .devDependencies.bun ?? 'missing: bun is not a devDependency of @aicredits/package-checks';

let project: string | undefined;
let servers: MockServers | undefined;

beforeAll(async () => {
  [project, servers] = await Promise.all([
    createProject(
      'aicredits-bun-',
      installed.map((entry) => entry.tarball),
    ),
    startMockServers(),
  ]);
  cpSync(path.join(fixturesDirectory, 'runtimes'), project, { recursive: true });
});

afterAll(async () => {
  killRunningChildren();
  await servers?.close();
  removeProject(project);
});

const bunEnvironment = (extra: Record<string, string> = {}) =>
  childEnvironment({ BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1', ...extra });

describe('Bun (from the bun npm package) with the tarballs installed by npm', () => {
  it(`runs the pinned Bun ${bunVersion}`, async () => {
    const result = await run(bunExecutable(), ['--version'], { cwd: project!, env: bunEnvironment(), timeout: 30_000 });
    expect(result.code, describeRun('bun --version', result)).toBe(0);
    expect(result.stdout.trim()).toBe(bunVersion);
  });

  it('installed aicredits, core and the four clients from the tarballs', () => {
    expectInstalledFromTarballs(project!, installed);
  });

  it('runs the smoke script: seed values, errors, aborts, same as Node', async () => {
    const environment = bunEnvironment({ MOCK_URLS: JSON.stringify(servers!.urls) });
    const [bun, node] = await Promise.all([
      run(bunExecutable(), ['node-main.mjs'], { cwd: project!, env: environment, timeout: 60_000 }),
      run(process.execPath, ['node-main.mjs'], { cwd: project!, env: environment, timeout: 60_000 }),
    ]);
    expect(bun.code, describeRun('bun node-main.mjs', bun)).toBe(0);
    expect(node.code, describeRun('node node-main.mjs', node)).toBe(0);
    const fromBun = parseJsonOutput<RuntimeSmokeOutput>(bun.stdout, bun.stderr);
    const fromNode = parseJsonOutput<RuntimeSmokeOutput>(node.stdout, node.stderr);
    expectRuntimeSmokeOutput(fromBun, 'bun');
    expect(comparableSmokeOutput(fromBun)).toEqual(comparableSmokeOutput(fromNode));
  }, 120_000);

  it('runs the aicredits bin: version, and balances --json against the mock', async () => {
    const bin = path.join(project!, 'node_modules/aicredits/bin/aicredits.js');
    const version = await run(bunExecutable(), [bin, 'version'], {
      cwd: project!,
      env: bunEnvironment(),
      timeout: 30_000,
    });
    expect(version.code, describeRun('bun aicredits version', version)).toBe(0);
    expect(version.stdout).toBe(`${installed.find((entry) => entry.name === 'aicredits')!.version}\n`);

    writeFileSync(path.join(project!, 'aicredits.config.json'), cliConfig(servers!.urls));
    const environment = bunEnvironment(fakeKeys);
    const [bun, node] = await Promise.all([
      run(bunExecutable(), [bin, 'balances', '--json'], { cwd: project!, env: environment, timeout: 60_000 }),
      run(process.execPath, [bin, 'balances', '--json'], { cwd: project!, env: environment, timeout: 60_000 }),
    ]);
    // The seed examples include expired plans, so both exit 1, with the same document.
    expect([bun.code, node.code], describeRun('bun aicredits balances --json', bun)).toEqual([1, 1]);
    type Document = { results: { provider: string; ok: boolean; balance: { remaining: number | null } | null }[] };
    const summary = (document: Document) =>
      document.results.map((result) => [result.provider, result.ok, result.balance?.remaining ?? null]);
    const fromBun = parseJsonOutput<Document>(bun.stdout, bun.stderr);
    expect(summary(fromBun)).toEqual(summary(parseJsonOutput<Document>(node.stdout, node.stderr)));
    expect(fromBun.results.map((result) => result.provider)).toEqual([
      'crowdcomputed',
      'pixverse',
      'imaginepro',
      'iqqz',
    ]);
  }, 120_000);
});
