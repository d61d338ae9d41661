// Tarball smoke tests, as a user gets the packages: every published package packed with npm,
// installed from the tarballs into one fresh project outside the repository, then used from ESM,
// CommonJS, TypeScript (node16, nodenext and bundler resolution) and the two command-line tools.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { cliConfig, expectSeedBalances, expectSeedResponses, fakeKeys, parseJsonOutput } from './expectations.js';
import {
  createProject,
  expectInstalledFromTarballs,
  removeProject,
  typescriptVersion,
  typesNodeVersion,
} from './temp-project.js';
import {
  type BackgroundProcess,
  childEnvironment,
  describeRun,
  fixturesDirectory,
  killRunningChildren,
  npxCommand,
  run,
  type RunResult,
  startBackground,
} from './workspace.js';

const packed = inject('packedPackages');
let project: string | undefined;

beforeAll(async () => {
  project = await createProject('aicredits-smoke-full-', [
    ...packed.map((entry) => entry.tarball),
    `typescript@${typescriptVersion}`,
    `@types/node@${typesNodeVersion}`,
  ]);
  cpSync(path.join(fixturesDirectory, 'full'), project, { recursive: true });
});

afterAll(() => {
  killRunningChildren();
  removeProject(project);
});

interface SmokeOutput {
  format: string;
  mockProviderIds: string[];
  providerIds: string[];
  crowdcomputed: unknown;
  pixverse: unknown;
  imaginepro: unknown;
  iqqzSubscription: unknown;
  iqqzUsage: unknown;
  rejected: unknown;
  builtWithBadSettings: unknown[];
  surface: {
    core: string[];
    providerUtils: string[];
    facade: string[];
    providers: Record<string, string[]>;
    sameErrorClass: boolean;
  };
  balances: unknown[];
}

/** The provider-author API: only in `@aicredits/core/provider-utils`. */
const providerAuthorApi = [
  'createApiClient',
  'exactAmount',
  'maskSecretFields',
  'defineProvider',
  'configField',
  'createBalance',
  'sumAmounts',
  'dateFromIso',
  'dateFromEpochSeconds',
  'statusFromExpiry',
  'createApiCallError',
  'checkProviderSettings',
  'isProviderModule',
  'systemClock',
  'withClock',
  'clockOf',
];

/** What the entries export at run time: the author API in the subpath, none of it in any main entry. */
function expectDeliberateSurface(surface: SmokeOutput['surface']): void {
  expect(surface.providerUtils).toEqual(expect.arrayContaining(providerAuthorApi));
  expect(surface.core).toEqual(expect.arrayContaining(['AuthenticationError', 'RateLimitError', 'SettingsError']));
  expect(surface.facade).toEqual(expect.arrayContaining(['createAccounts', 'providerIds', 'AuthenticationError']));
  const mainEntries = { '@aicredits/core': surface.core, aicredits: surface.facade, ...surface.providers };
  expect(Object.keys(surface.providers).sort()).toEqual(['crowdcomputed', 'imaginepro', 'iqqz', 'pixverse']);
  for (const [entry, names] of Object.entries(mainEntries)) {
    expect(names.length, `${entry} exports something`).toBeGreaterThan(0);
    expect(
      names.filter((name) => providerAuthorApi.includes(name)),
      `${entry}: provider-author API`,
    ).toEqual([]);
  }
  for (const [provider, names] of Object.entries(surface.providers)) {
    expect(names, `@aicredits/${provider}: the error classes to catch`).toEqual(
      expect.arrayContaining(['AuthenticationError', 'RateLimitError', 'AiCreditsError']),
    );
  }
  expect(surface.sameErrorClass).toBe(true);
}

function expectSmokeOutput(output: SmokeOutput, format: 'esm' | 'cjs'): void {
  expect(output.format).toBe(format);
  expect(output.mockProviderIds.slice().sort()).toEqual(['crowdcomputed', 'imaginepro', 'iqqz', 'pixverse']);
  expect(output.providerIds.slice().sort()).toEqual(['crowdcomputed', 'imaginepro', 'iqqz', 'pixverse']);
  expectSeedResponses(output);
  // An error thrown inside @aicredits/imaginepro is the class the user imports from @aicredits/core.
  expect(output.rejected).toEqual({ name: 'AuthenticationError', instanceOf: true, isInstance: true });
  // A bad setting is a SettingsError from the factory itself, before any call.
  expect(output.builtWithBadSettings).toEqual(
    ['timeout', 'maxRetries', 'concurrency', 'settings.timeout'].map((setting) => ({
      name: 'SettingsError',
      setting,
      instanceOf: true,
    })),
  );
  expectSeedBalances(output.balances);
  expectDeliberateSurface(output.surface);
}

describe('a project with every package installed from its tarball', () => {
  it('got our packages from the tarballs, one copy each', () => {
    expectInstalledFromTarballs(project!, packed);
  });

  it('runs an ES module script: mock servers, every client, createAccounts().balances()', async () => {
    const result = await run(process.execPath, ['esm-smoke.mjs'], { cwd: project!, timeout: 180_000 });
    expect(result.code, describeRun('node esm-smoke.mjs', result)).toBe(0);
    expectSmokeOutput(parseJsonOutput<SmokeOutput>(result.stdout, result.stderr), 'esm');
  }, 240_000);

  it('runs a CommonJS script doing the same through require()', async () => {
    const result = await run(process.execPath, ['cjs-smoke.cjs'], { cwd: project!, timeout: 180_000 });
    expect(result.code, describeRun('node cjs-smoke.cjs', result)).toBe(0);
    expectSmokeOutput(parseJsonOutput<SmokeOutput>(result.stdout, result.stderr), 'cjs');
  }, 240_000);

  it('runs the aicredits CLI through npx against aicredits-mock started through npx', async () => {
    let mock: BackgroundProcess | undefined;
    try {
      mock = startBackground(npxCommand, ['aicredits-mock', '--json'], { cwd: project!, timeout: 120_000 });
      const urls = parseJsonOutput<Record<'crowdcomputed' | 'pixverse' | 'imaginepro' | 'iqqz', string>>(
        await mock.firstLine,
      );
      for (const url of Object.values(urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const configFile = path.join(project!, 'aicredits.config.json');
      writeFileSync(configFile, cliConfig(urls));

      const result = await run(npxCommand, ['aicredits', 'balances', '--config', configFile, '--json'], {
        cwd: project!,
        env: childEnvironment({ ...fakeKeys }),
        timeout: 180_000,
      });
      const document = parseJsonOutput<{ ok: boolean; results: unknown[] }>(result.stdout, result.stderr);
      expectSeedBalances(document.results);
      // 0 when nothing needs attention, 1 when something does (some seed plans have expired).
      expect(result.code, describeRun('npx aicredits balances --json', result)).toBe(document.ok ? 0 : 1);
      // The keys never reach the output.
      for (const key of Object.values(fakeKeys)) expect(result.stdout + result.stderr).not.toContain(key);
    } finally {
      await mock?.stop();
    }
  }, 240_000);

  it('npx aicredits init writes a starter config whose $schema is the schema installed with aicredits', async () => {
    const output = path.join(project!, 'init.config.json');
    const key = 'smoke-init-iqqz-key-5f1e';
    const result = await run(npxCommand, ['aicredits', 'init', '--output', output], {
      cwd: project!,
      env: childEnvironment({ IQQZ_API_KEY: key }),
      timeout: 120_000,
    });
    expect(result.code, describeRun('npx aicredits init', result)).toBe(0);
    const text = readFileSync(output, 'utf8');
    expect(text).not.toContain(key);
    const written = JSON.parse(text) as { $schema: string; accounts: unknown[] };
    expect(written.$schema).toBe('./node_modules/aicredits/dist/config.schema.json');
    expect(written.accounts).toEqual([expect.objectContaining({ provider: 'iqqz', apiKeyEnv: 'IQQZ_API_KEY' })]);
    // The file it names is the package's exported schema, as the tarball holds it.
    const exported = createRequire(path.join(project!, 'package.json')).resolve('aicredits/config.schema.json');
    expect(path.resolve(project!, written.$schema)).toBe(exported);
    const schema = JSON.parse(readFileSync(exported, 'utf8')) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['$schema', 'accounts', 'concurrency']));
  });

  it('answers npx aicredits-mock --help and npx aicredits --version', async () => {
    const help = await run(npxCommand, ['aicredits-mock', '--help'], { cwd: project!, timeout: 120_000 });
    expect(help.code, describeRun('npx aicredits-mock --help', help)).toBe(0);
    expect(help.stdout).toContain('Usage: aicredits-mock');

    const version = await run(npxCommand, ['aicredits', '--version'], { cwd: project!, timeout: 120_000 });
    expect(version.code, describeRun('npx aicredits --version', version)).toBe(0);
    expect(version.stdout.trim()).toContain(packed.find((entry) => entry.name === 'aicredits')!.version);
  });

  // One `tsc --build` over the three modes' projects (types-<mode>/, each a copy of the fixture's
  // types/ with its own tsconfig.json): still one program per mode, but one tsc process parses and
  // binds the declaration files the modes share (@types/node, openapi-fetch, ...) once, about a
  // third less CPU than three `tsc -p` runs. The copies' folders tell whose error a line is.
  const modes = [
    { mode: 'node16', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
    { mode: 'nodenext', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
    { mode: 'bundler', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
  ];
  const goodFiles = ['uses-every-package.mts', 'uses-every-package.cts'];
  const badFiles = ['deliberate-errors.mts', 'deliberate-errors.cts'];
  let typeCheck: Promise<RunResult> | undefined;

  function checkEveryMode(): Promise<RunResult> {
    typeCheck ??= (async () => {
      const projects = modes.map(({ mode, compilerOptions }) => {
        const folder = path.join(project!, `types-${mode}`);
        cpSync(path.join(project!, 'types'), folder, { recursive: true });
        const options = {
          ...compilerOptions,
          target: 'es2022',
          strict: true,
          noEmit: true,
          // Our declaration files are checked too; TypeScript's own lib files are not.
          skipLibCheck: false,
          skipDefaultLibCheck: true,
          types: ['node'],
        };
        const file = path.join(folder, 'tsconfig.json');
        writeFileSync(file, JSON.stringify({ compilerOptions: options, files: [...goodFiles, ...badFiles] }, null, 2));
        return file;
      });
      return run(
        process.execPath,
        [
          path.join(project!, 'node_modules/typescript/bin/tsc'),
          '--build',
          '--force',
          '--pretty',
          'false',
          ...projects,
        ],
        { cwd: project!, timeout: 230_000 },
      );
    })();
    return typeCheck;
  }

  describe.each(modes)('TypeScript $mode resolution (strict)', ({ mode }) => {
    // The code using every package must give no error, and the deliberate errors exactly theirs.
    it(`type-checks code using every package with tsc ${typescriptVersion}, failing exactly on the deliberate errors`, async ({
      expect,
    }) => {
      const result = await checkEveryMode();
      expect(result.code, 'tsc must fail on the deliberate errors').not.toBe(0);
      // Every error of this mode's program, and every error outside the copies (a declaration
      // file of ours, say), which no mode may have.
      const reported = result.stdout
        .split('\n')
        .filter((line) => / error TS\d+/.test(line))
        .flatMap((line) => {
          const located = /^types-([a-z0-9]+)\/([^(]+)\((\d+),\d+\): error (TS\d+)/.exec(line);
          if (located === null) return [line];
          return located[1] === mode ? [`types/${located[2]}:${located[3]} ${located[4]}`] : [];
        });
      const expected: string[] = [];
      for (const file of badFiles) {
        readFileSync(path.join(project!, 'types', file), 'utf8')
          .split('\n')
          .forEach((text, index) => {
            const marker = /\/\/ expect-error (TS\d+)/.exec(text);
            if (marker) expected.push(`types/${file}:${index + 1} ${marker[1]}`);
          });
      }
      expect(expected.length).toBeGreaterThanOrEqual(4);
      expect(reported.sort(), describeRun(`tsc --build (${mode})`, result)).toEqual(expected.sort());
    }, 240_000);
  });
});
