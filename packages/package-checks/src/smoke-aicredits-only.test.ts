// "A user installs only aicredits": a fresh project with the aicredits tarball plus the tarballs of
// its internal dependencies. Until those are on the registry npm cannot fetch them, so they are
// passed to `npm install` too; @aicredits/mock (and Prism) must not come along.
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { cliConfig, expectSeedBalances, fakeKeys, parseJsonOutput } from './expectations.js';
import { createProject, expectInstalledFromTarballs, removeProject, withInternalDependencies } from './temp-project.js';
import { childEnvironment, describeRun, fixturesDirectory, killRunningChildren, npxCommand, run } from './workspace.js';

const packed = inject('packedPackages');

const installed = withInternalDependencies(packed, 'aicredits');
let project: string | undefined;
let servers: MockServers | undefined;

beforeAll(async () => {
  // The mock servers run in this test process (from the workspace); the project only calls them.
  [project, servers] = await Promise.all([
    createProject(
      'aicredits-smoke-only-',
      installed.map((entry) => entry.tarball),
    ),
    startMockServers(),
  ]);
  cpSync(path.join(fixturesDirectory, 'aicredits-only'), project, { recursive: true });
});

afterAll(async () => {
  killRunningChildren();
  await servers?.close();
  removeProject(project);
});

describe('a project with only aicredits (and its internal dependencies) installed', () => {
  it('holds aicredits, core and the four clients from tarballs, and no mock or Prism', () => {
    expect(installed.map((entry) => entry.name).sort()).toEqual([
      '@aicredits/core',
      '@aicredits/crowdcomputed',
      '@aicredits/imaginepro',
      '@aicredits/iqqz',
      '@aicredits/pixverse',
      'aicredits',
    ]);
    expectInstalledFromTarballs(project!, installed);
    expect(existsSync(path.join(project!, 'node_modules/@aicredits/mock'))).toBe(false);
    expect(existsSync(path.join(project!, 'node_modules/@stoplight'))).toBe(false);
  });

  it.each(['balances.mjs', 'balances.cjs'])('runs %s with what aicredits re-exports', async (script) => {
    const result = await run(process.execPath, [script], {
      cwd: project!,
      env: childEnvironment({ MOCK_URLS: JSON.stringify(servers!.urls) }),
      timeout: 180_000,
    });
    expect(result.code, describeRun(`node ${script}`, result)).toBe(0);
    const output = parseJsonOutput<{ format: string; balances: unknown[]; imaginepro: unknown; rejected: unknown }>(
      result.stdout,
      result.stderr,
    );
    expect(output.format).toBe(script.endsWith('.mjs') ? 'esm' : 'cjs');
    expectSeedBalances(output.balances);
    expect(output.imaginepro).toMatchObject({ credits: 1600, creditsExtra: 1000 });
    expect(output.rejected).toEqual({ name: 'AuthenticationError', instanceOf: true });
  });

  it('runs npx aicredits balances --json', async () => {
    const configFile = path.join(project!, 'aicredits.config.json');
    writeFileSync(configFile, cliConfig(servers!.urls));
    const result = await run(npxCommand, ['aicredits', 'balances', '--config', configFile, '--json'], {
      cwd: project!,
      env: childEnvironment({ ...fakeKeys }),
      timeout: 180_000,
    });
    const document = parseJsonOutput<{ ok: boolean; results: unknown[] }>(result.stdout, result.stderr);
    expectSeedBalances(document.results);
    expect(result.code, describeRun('npx aicredits balances --json', result)).toBe(document.ok ? 0 : 1);
  });
});
