/**
 * The config file from the user's side, with the built bin as a child process: where it is found,
 * `aicredits init`, and the JSON Schema built from the same field list that checks the file.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { configField, defineProvider } from '@aicredits/core/provider-utils';
import { startTestServer, type TestServer } from '@aicredits/test-server';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { imagineProAccountInfo } from '../testing/fixtures.js';
import { parseTable } from '../testing/parse-table.js';
import { runCli } from '../testing/run-cli.js';
import { ConfigError } from './config-error.js';
import { configJsonSchema } from './config-schema.js';
import { parseConfig } from './load-config.js';

const keyVariable = 'TEST_IMAGINEPRO_KEY';
const key = 'imp-config-file-SECRET-81f3a2';
let directory: string;
let server: TestServer;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aicredits-config-file-'));
  server = await startTestServer();
  server.respondWith({ body: imagineProAccountInfo });
});

afterAll(async () => {
  await server?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

/** A config whose one account's label says which file it came from. */
async function configAt(path: string, label: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const account = { provider: 'imaginepro', label, apiKeyEnv: keyVariable, baseURL: server.url };
  await writeFile(path, JSON.stringify({ accounts: [account] }));
}

const labelOf = (run: { stdout: string; stderr: string; code: number | null }) => {
  expect(run.code, run.stderr).toBe(0);
  return parseTable(run.stdout).rows.map((row) => row.ACCOUNT);
};

describe('config discovery', () => {
  it('--config, then AICREDITS_CONFIG, then ./aicredits.config.json, then $XDG_CONFIG_HOME, then ~/.config', async () => {
    const root = await mkdtemp(join(directory, 'discovery-'));
    const cwd = join(root, 'project');
    const home = join(root, 'home');
    const xdg = join(root, 'xdg');
    await configAt(join(root, 'flag.json'), 'from-flag');
    await configAt(join(root, 'named.json'), 'from-variable');
    await configAt(join(cwd, 'aicredits.config.json'), 'from-cwd');
    await configAt(join(xdg, 'aicredits', 'config.json'), 'from-xdg');
    await configAt(join(home, '.config', 'aicredits', 'config.json'), 'from-home');
    const environment = {
      [keyVariable]: key,
      HOME: home,
      XDG_CONFIG_HOME: xdg,
      AICREDITS_CONFIG: join(root, 'named.json'),
    };
    const run = (args: string[], overrides: Record<string, string | undefined>, where = cwd) => {
      const env = Object.fromEntries(
        Object.entries({ ...environment, ...overrides }).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      );
      return runCli(args, { environment: env, cwd: where });
    };
    const elsewhere = root;
    const runs = await Promise.all([
      run(['--config', join(root, 'flag.json')], {}),
      run([], {}),
      run([], { AICREDITS_CONFIG: undefined }),
      run([], { AICREDITS_CONFIG: undefined }, elsewhere),
      run([], { AICREDITS_CONFIG: undefined, XDG_CONFIG_HOME: undefined }, elsewhere),
    ]);
    expect(runs.map(labelOf)).toEqual([['from-flag'], ['from-variable'], ['from-cwd'], ['from-xdg'], ['from-home']]);
  });

  it('a file named by AICREDITS_CONFIG must exist (exit 2); nothing found falls back to the key variables', async () => {
    const root = await mkdtemp(join(directory, 'missing-'));
    const missing = join(root, 'nope.json');
    const named = await runCli([], { environment: { AICREDITS_CONFIG: missing, HOME: root }, cwd: root });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`cannot read the config file ${missing}`);
    const nothing = await runCli([], { environment: { HOME: root }, cwd: root });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('aicredits init');
    expect(nothing.stderr).toContain('~/.config/aicredits/config.json');
  });
});

describe('aicredits init', () => {
  it('writes a starter config for the providers whose variables are set, naming them, never the keys', async () => {
    const cwd = await mkdtemp(join(directory, 'init-'));
    const environment = { IQQZ_API_KEY: 'sk-init-SECRET-1', USEAPI_API_TOKEN: 'useapi-init-SECRET-2' };
    const run = await runCli(['init'], { environment, cwd });
    expect(run.code, run.stderr).toBe(0);
    const path = join(cwd, 'aicredits.config.json');
    expect(run.stdout).toBe(`Wrote ${path} for iqqz, pixverse. Check it with: aicredits balances\n`);
    const text = await readFile(path, 'utf8');
    for (const secret of Object.values(environment)) expect(text).not.toContain(secret);
    const written = JSON.parse(text) as { $schema: string; $comment: string; accounts: Record<string, unknown>[] };
    expect(written.accounts).toEqual([
      // No unit: the gateway's /api/status says it, and a unit written here would override it.
      expect.objectContaining({ provider: 'iqqz', label: 'default', apiKeyEnv: 'IQQZ_API_KEY' }),
      expect.objectContaining({ provider: 'pixverse', label: 'default', apiKeyEnv: 'USEAPI_API_TOKEN' }),
    ]);
    expect(written.accounts[0]).not.toHaveProperty('unit');
    expect(written.$comment).toContain('API keys stay in environment variables');
    // Its $schema is the schema this installation built, and the file passes it and the CLI's checks.
    const schemaPath = written.$schema.startsWith('file:')
      ? fileURLToPath(written.$schema)
      : join(cwd, written.$schema);
    const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as Record<string, unknown>;
    expect(schema).toEqual(configJsonSchema());
    expect(new Ajv({ strict: false }).validate(schema, written)).toBe(true);
    expect(parseConfig(written, environment).accounts.map((account) => account.apiKey)).toEqual(
      Object.values(environment),
    );

    const again = await runCli(['init'], { environment, cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${path} exists; use --force to replace it`);
    const forced = await runCli(['init', '--force', '--output', 'other.json'], {
      environment: { IQQZ_API_KEY: 'k' },
      cwd,
    });
    expect(forced.code, forced.stderr).toBe(0);
    expect(
      (JSON.parse(await readFile(join(cwd, 'other.json'), 'utf8')) as { accounts: unknown[] }).accounts,
    ).toHaveLength(1);
  });

  it('with no key variable set, says which to set and writes nothing (exit 2)', async () => {
    const cwd = await mkdtemp(join(directory, 'init-empty-'));
    const run = await runCli(['init'], { environment: {}, cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'set at least one of CROWDCOMPUTED_API_KEY, IMAGINEPRO_API_KEY, IQQZ_API_KEY, USEAPI_API_TOKEN',
    );
    await expect(readFile(join(cwd, 'aicredits.config.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('the JSON Schema of the config file', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(configJsonSchema());
  const environment = { K: 'key' };
  // What a package named in "providers" exports; the CLI loads it before checking the accounts.
  const thirdParty = defineProvider({
    id: 'acme',
    displayName: 'Acme Render',
    definition: {
      id: 'acme',
      defaultBaseURL: 'https://api.acme-render.invalid',
      apiKeyEnvironmentVariable: 'ACME_API_KEY',
      authenticate: (apiKey) => ({ 'X-Api-Key': apiKey }),
    },
    accountFields: { workspace: configField.string('A workspace.') },
    checks: () => [],
  });
  const accepts = (config: unknown) => {
    const named = typeof config === 'object' && config !== null && 'providers' in config;
    try {
      parseConfig(config, environment, 'aicredits.config.json', named ? [thirdParty] : []);
      return true;
    } catch (error) {
      if (error instanceof ConfigError) return false;
      throw error;
    }
  };

  it('is what the build wrote to dist/config.schema.json', async () => {
    const built = JSON.parse(await readFile(new URL('../../dist/config.schema.json', import.meta.url), 'utf8'));
    expect(built).toEqual(configJsonSchema());
  });

  it.each([
    ['one account per provider', { accounts: [{ provider: 'iqqz', apiKeyEnv: 'K', unit: 'CNY', min: 1 }] }, true],
    [
      'every top-level setting',
      {
        $comment: 'x',
        concurrency: 2,
        accountTimeout: 1000,
        min: 0,
        timeout: 5,
        maxRetries: 0,
        validateResponses: false,
        accounts: [
          { provider: 'pixverse', apiKeyEnv: 'K', email: 'a@b.c', allAccounts: true, headers: { 'x-a': 'b' } },
        ],
      },
      true,
    ],
    ['no accounts', { accounts: [] }, false],
    ['concurrency 0', { concurrency: 0, accounts: [{ provider: 'iqqz', apiKeyEnv: 'K' }] }, false],
    ['a fractional maxRetries', { maxRetries: 1.5, accounts: [{ provider: 'iqqz', apiKeyEnv: 'K' }] }, false],
    [
      'an accountTimeout beyond 2^31 - 1',
      { accountTimeout: 2 ** 31, accounts: [{ provider: 'iqqz', apiKeyEnv: 'K' }] },
      false,
    ],
    ['an unknown top-level field', { acounts: [], accounts: [{ provider: 'iqqz', apiKeyEnv: 'K' }] }, false],
    ['an unknown provider', { accounts: [{ provider: 'openai', apiKeyEnv: 'K' }] }, false],
    ['a field of another provider', { accounts: [{ provider: 'iqqz', apiKeyEnv: 'K', email: 'a@b.c' }] }, false],
    ['an API key in the file', { accounts: [{ provider: 'iqqz', apiKey: 'sk-1' }] }, false],
    ['a negative min', { accounts: [{ provider: 'imaginepro', apiKeyEnv: 'K', min: -1 }] }, false],
    ['a header that is not text', { accounts: [{ provider: 'imaginepro', apiKeyEnv: 'K', headers: { a: 1 } }] }, false],
    [
      'a third-party account, its package in providers',
      {
        providers: ['aicredits-provider-acme'],
        accounts: [
          { provider: 'acme', apiKeyEnv: 'K', workspace: 'studio', min: 5 },
          { provider: 'iqqz', apiKeyEnv: 'K' },
        ],
      },
      true,
    ],
    ['a third-party account without providers', { accounts: [{ provider: 'acme', apiKeyEnv: 'K' }] }, false],
    [
      'a third-party account with an API key in the file',
      { providers: ['aicredits-provider-acme'], accounts: [{ provider: 'acme', apiKey: 'sk-1' }] },
      false,
    ],
    [
      'a built-in account with another provider’s field, beside providers',
      { providers: ['aicredits-provider-acme'], accounts: [{ provider: 'iqqz', apiKeyEnv: 'K', email: 'a@b.c' }] },
      false,
    ],
  ])('%s: the schema and the CLI agree (valid: %s)', (_name, config, valid) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(valid);
    expect(accepts(config)).toBe(valid);
  });
});
