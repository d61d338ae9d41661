// "A user installs only one provider package": a fresh project with @aicredits/iqqz plus the
// tarball of @aicredits/core (npm cannot fetch it until it is published). Everything a user needs,
// the client, `Balance` and the error classes, must come from the one package, in ESM, CommonJS
// and strict TypeScript.
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { parseJsonOutput } from './expectations.js';
import {
  createProject,
  expectInstalledFromTarballs,
  removeProject,
  typescriptVersion,
  typesNodeVersion,
  withInternalDependencies,
} from './temp-project.js';
import { childEnvironment, describeRun, fixturesDirectory, killRunningChildren, run } from './workspace.js';

const packed = inject('packedPackages');
const installed = withInternalDependencies(packed, '@aicredits/iqqz');
let project: string | undefined;
let servers: MockServers<'iqqz'> | undefined;

beforeAll(async () => {
  [project, servers] = await Promise.all([
    createProject('aicredits-smoke-one-provider-', [
      ...installed.map((entry) => entry.tarball),
      `typescript@${typescriptVersion}`,
      `@types/node@${typesNodeVersion}`,
    ]),
    startMockServers({ providers: ['iqqz'] }),
  ]);
  cpSync(path.join(fixturesDirectory, 'one-provider'), project, { recursive: true });
});

afterAll(async () => {
  killRunningChildren();
  await servers?.close();
  removeProject(project);
});

describe('a project with only @aicredits/iqqz (and @aicredits/core) installed', () => {
  it('holds the provider and the core from tarballs, nothing else of ours', () => {
    expect(installed.map((entry) => entry.name).sort()).toEqual(['@aicredits/core', '@aicredits/iqqz']);
    expectInstalledFromTarballs(project!, installed);
    expect(existsSync(path.join(project!, 'node_modules/aicredits'))).toBe(false);
    expect(existsSync(path.join(project!, 'node_modules/@aicredits/mock'))).toBe(false);
  });

  it.each(['subscription.mjs', 'subscription.cjs'])('runs %s against the mock', async (script) => {
    const result = await run(process.execPath, [script], {
      cwd: project!,
      env: childEnvironment({ IQQZ_URL: servers!.urls.iqqz }),
      timeout: 180_000,
    });
    expect(result.code, describeRun(`node ${script}`, result)).toBe(0);
    const output = parseJsonOutput<{
      format: string;
      subscription: Record<string, unknown>;
      balance: Record<string, unknown>;
      rejected: unknown;
    }>(result.stdout, result.stderr);
    expect(output.format).toBe(script.endsWith('.mjs') ? 'esm' : 'cjs');
    // The seed page's example, and the balance it makes: limit 5, usage 250 hundredths.
    expect(output.subscription).toEqual({
      object: 'billing_subscription',
      has_payment_method: true,
      soft_limit_usd: 5,
      hard_limit_usd: 5,
      system_hard_limit_usd: 5,
      access_until: 0,
    });
    expect(output.balance).toMatchObject({ provider: 'iqqz', account: 'team', limit: 5, used: 2.5, remaining: 2.5 });
    expect(output.rejected).toEqual({ name: 'AuthenticationError', authentication: true, rateLimit: false });
  });

  it('type-checks strict TypeScript importing everything from the one package', async () => {
    const tsconfig = path.join(project!, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          skipDefaultLibCheck: true,
          types: ['node'],
        },
        files: ['uses-one-provider.mts'],
      }),
    );
    const result = await run(
      process.execPath,
      [path.join(project!, 'node_modules/typescript/bin/tsc'), '--pretty', 'false', '-p', tsconfig],
      { cwd: project!, timeout: 120_000 },
    );
    expect(result.code, describeRun('tsc (node16)', result)).toBe(0);
  }, 240_000);
});
