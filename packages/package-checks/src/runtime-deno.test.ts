// The clients use only web-standard APIs (fetch, Request, Response, AbortSignal, TextDecoder, URL)
// at run time, so they work outside Node. Deno proves it: the same smoke script as in Node
// (fixtures/runtimes/smoke.mjs: every client method, an error, an abort, createAccounts().balances())
// runs under Deno's permission sandbox, network limited to 127.0.0.1, no subprocesses, no writes,
// reads limited to the project, against the packed tarballs installed by npm into a fresh project.
// The mock servers run in this (Node) test process.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import {
  comparableSmokeOutput,
  expectRuntimeSmokeOutput,
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
 * The Deno executable from the `deno` npm package's platform package (e.g. @deno/linux-x64-glibc).
 * The `deno` package's postinstall (which npm does not run here) would only copy this same binary
 * next to its launcher, so the platform package's binary is used directly.
 */
function denoExecutable(): string {
  const libc = process.platform === 'linux' ? '-glibc' : '';
  const platformPackage = `@deno/${process.platform}-${process.arch}${libc}`;
  const fromDeno = createRequire(
    createRequire(path.join(packageChecksDirectory, 'package.json')).resolve('deno/package.json'),
  );
  try {
    const manifest = fromDeno.resolve(`${platformPackage}/package.json`);
    return path.join(path.dirname(manifest), process.platform === 'win32' ? 'deno.exe' : 'deno');
  } catch {
    throw new Error(
      `${platformPackage} is not installed: Deno's binary for this platform comes with the \`deno\` devDependency of ` +
        '@aicredits/package-checks as an optional dependency. Run `npm install` at the repository root.',
    );
  }
}

const denoVersion =
  readJson<{ devDependencies: Record<string, string> }>(path.join(packageChecksDirectory, 'package.json'))
    .devDependencies.deno ?? 'missing: deno is not a devDependency of @aicredits/package-checks';

let project: string | undefined;
let denoDirectory: string | undefined;
let servers: MockServers | undefined;

beforeAll(async () => {
  denoDirectory = mkdtempSync(path.join(tmpdir(), 'aicredits-deno-dir-'));
  [project, servers] = await Promise.all([
    createProject(
      'aicredits-deno-',
      installed.map((entry) => entry.tarball),
    ),
    startMockServers(),
  ]);
  cpSync(path.join(fixturesDirectory, 'runtimes'), project, { recursive: true });
  // Deno resolves the bare imports through the node_modules npm made, and downloads nothing.
  writeFileSync(path.join(project, 'deno.json'), `${JSON.stringify({ nodeModulesDir: 'manual' }, null, 2)}\n`);
});

afterAll(async () => {
  killRunningChildren();
  await servers?.close();
  removeProject(project);
  if (denoDirectory !== undefined) rmSync(denoDirectory, { recursive: true, force: true });
});

function denoEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return childEnvironment({
    // Deno's own cache in a temp directory, not in the developer's home.
    DENO_DIR: denoDirectory!,
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    ...extra,
  });
}

describe('Deno (from the deno npm package) with the tarballs installed by npm', () => {
  it(`runs the pinned Deno ${denoVersion}`, async () => {
    const result = await run(denoExecutable(), ['--version'], {
      cwd: project!,
      env: denoEnvironment(),
      timeout: 120_000,
    });
    expect(result.code, describeRun('deno --version', result)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^deno ${denoVersion.replaceAll('.', '\\.')} `));
  });

  it('installed aicredits, core and the four clients from the tarballs', () => {
    expectInstalledFromTarballs(project!, installed);
  });

  it('runs the smoke script with --allow-net=127.0.0.1: seed values, errors, aborts, same as Node', async () => {
    const environment = denoEnvironment({ MOCK_URLS: JSON.stringify(servers!.urls) });
    const [deno, node] = await Promise.all([
      run(
        denoExecutable(),
        ['run', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${project!}`, '--allow-env', 'deno-main.mjs'],
        { cwd: project!, env: environment, timeout: 180_000 },
      ),
      run(process.execPath, ['node-main.mjs'], { cwd: project!, env: environment, timeout: 180_000 }),
    ]);
    expect(deno.code, describeRun('deno run deno-main.mjs', deno)).toBe(0);
    expect(node.code, describeRun('node node-main.mjs', node)).toBe(0);
    const fromDeno = parseJsonOutput<RuntimeSmokeOutput>(deno.stdout, deno.stderr);
    const fromNode = parseJsonOutput<RuntimeSmokeOutput>(node.stdout, node.stderr);
    expectRuntimeSmokeOutput(fromDeno, 'deno');
    expectRuntimeSmokeOutput(fromNode, 'node');
    expect(comparableSmokeOutput(fromDeno)).toEqual(comparableSmokeOutput(fromNode));
  }, 240_000);

  it('is refused by Deno without network permission (the sandbox is real)', async () => {
    const result = await run(
      denoExecutable(),
      ['run', '--no-prompt', `--allow-read=${project!}`, '--allow-env', 'deno-main.mjs'],
      {
        cwd: project!,
        env: denoEnvironment({ MOCK_URLS: JSON.stringify(servers!.urls) }),
        timeout: 180_000,
      },
    );
    expect(result.code, describeRun('deno run without --allow-net', result)).not.toBe(0);
    expect(result.stderr).toMatch(/NotCapable|Requires net access/);
  }, 240_000);
});
