import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConfigError } from './config-error.js';
import { loadConfig, parseConfig } from './load-config.js';

const keyNames = ['CROWDCOMPUTED_API_KEY', 'IMAGINEPRO_API_KEY', 'IQQZ_API_KEY', 'USEAPI_API_TOKEN'];

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aicredits-load-config-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The ConfigError `run` throws; fails the test when it throws nothing or something else. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig without a config file (environment variables only)', () => {
  it('checks one account per provider whose key variable is set, with the key from the given environment', async () => {
    const { config, source } = await loadConfig({
      configPath: undefined,
      cwd: directory,
      environment: { IQQZ_API_KEY: 'iqqz-env-key', USEAPI_API_TOKEN: 'useapi-env-token', IMAGINEPRO_API_KEY: '  ' },
    });
    expect(source).toBe('environment variables');
    expect(config.accounts).toEqual([
      { provider: 'iqqz', apiKey: 'iqqz-env-key' },
      { provider: 'pixverse', apiKey: 'useapi-env-token' },
    ]);
  });

  it('without any key variable, fails naming every variable it looked for', async () => {
    const error = await loadConfig({ configPath: undefined, cwd: directory, environment: { PATH: '/bin' } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of keyNames) expect((error as Error).message).toContain(name);
    expect((error as Error).message).toContain('aicredits.config.json');
  });

  it('prefers ./aicredits.config.json in the working directory over the environment', async () => {
    await writeFile(
      join(directory, 'aicredits.config.json'),
      JSON.stringify({ accounts: [{ provider: 'imaginepro' }] }),
    );
    const { config, source } = await loadConfig({
      configPath: undefined,
      cwd: directory,
      environment: { IQQZ_API_KEY: 'iqqz-env-key' },
    });
    expect(source).toBe(join(directory, 'aicredits.config.json'));
    expect(config.accounts).toEqual([{ provider: 'imaginepro' }]);
  });

  it('a missing file given explicitly is an error, not a fallback to the environment', async () => {
    await expect(
      loadConfig({ configPath: 'nope.json', cwd: directory, environment: { IQQZ_API_KEY: 'k' } }),
    ).rejects.toThrow(/cannot read the config file .*nope\.json/);
  });

  it('invalid JSON is a ConfigError naming the file', async () => {
    await writeFile(join(directory, 'broken.json'), '{ "accounts": [ }');
    await expect(loadConfig({ configPath: 'broken.json', cwd: directory, environment: {} })).rejects.toThrow(
      /broken\.json is not valid JSON/,
    );
  });
});

describe('parseConfig', () => {
  it('parses every field and resolves apiKeyEnv from the environment', () => {
    const config = parseConfig(
      {
        $schema: './schema.json',
        concurrency: 3,
        accountTimeout: 5000,
        min: 10,
        accounts: [
          { provider: 'iqqz', label: 'gw', apiKeyEnv: 'GW_KEY', baseURL: 'https://gw.example', unit: 'CNY', min: 0.5 },
          { provider: 'pixverse', email: 'a@example.com', allAccounts: false, headers: { 'X-Test': '1' } },
          { provider: 'crowdcomputed' },
        ],
      },
      { GW_KEY: 'gw-secret' },
    );
    expect(config).toEqual({
      concurrency: 3,
      accountTimeout: 5000,
      min: 10,
      accounts: [
        { provider: 'iqqz', label: 'gw', apiKey: 'gw-secret', baseURL: 'https://gw.example', unit: 'CNY', min: 0.5 },
        { provider: 'pixverse', email: 'a@example.com', allAccounts: false, headers: { 'X-Test': '1' } },
        { provider: 'crowdcomputed' },
      ],
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['a root that is not an object', [], /\(root\): expected an object, got an array/],
    ['no accounts', {}, /accounts: expected a non-empty array of accounts, got nothing/],
    ['an empty account list', { accounts: [] }, /accounts: expected a non-empty array/],
    [
      'an account that is not an object',
      { accounts: ['iqqz'] },
      /accounts\[0\]: expected an object, got string "iqqz"/,
    ],
    [
      'an unknown provider',
      { accounts: [{ provider: 'openai' }] },
      /accounts\[0\]\.provider: expected one of crowdcomputed, imaginepro, iqqz, pixverse, got string "openai"/,
    ],
    ['a missing provider', { accounts: [{ label: 'x' }] }, /accounts\[0\]\.provider: expected one of .*, got nothing/],
    [
      'an unknown top-level field',
      { accounts: [{ provider: 'iqqz' }], retries: 3 },
      /retries: unknown field; expected one of/,
    ],
    [
      'an unknown account field (a typo)',
      { accounts: [{ provider: 'iqqz' }, { provider: 'iqqz', apikeyenv: 'X' }] },
      /accounts\[1\]\.apikeyenv: unknown field/,
    ],
    [
      "another provider's field",
      { accounts: [{ provider: 'imaginepro', unit: 'CNY' }] },
      /accounts\[0\]\.unit: unknown field/,
    ],
    [
      'an empty label',
      { accounts: [{ provider: 'iqqz', label: '' }] },
      /accounts\[0\]\.label: expected a non-empty string/,
    ],
    [
      'headers with a non-string value',
      { accounts: [{ provider: 'iqqz', headers: { 'X-Retry': 3 } }] },
      /accounts\[0\]\.headers: expected an object of string values/,
    ],
    [
      'allAccounts that is not a boolean',
      { accounts: [{ provider: 'pixverse', allAccounts: 'yes' }] },
      /accounts\[0\]\.allAccounts: expected true or false, got string "yes"/,
    ],
    [
      'a negative min',
      { accounts: [{ provider: 'iqqz', min: -1 }] },
      /accounts\[0\]\.min: expected a number of at least 0/,
    ],
    [
      'a min that is a string',
      { accounts: [{ provider: 'iqqz' }], min: '5' },
      /min: expected a number of at least 0, got string "5"/,
    ],
    [
      'concurrency 0',
      { accounts: [{ provider: 'iqqz' }], concurrency: 0 },
      /concurrency: expected a whole number of at least 1/,
    ],
    [
      'a fractional concurrency',
      { accounts: [{ provider: 'iqqz' }], concurrency: 1.5 },
      /concurrency: expected a whole number/,
    ],
    [
      'accountTimeout 0',
      { accounts: [{ provider: 'iqqz' }], accountTimeout: 0 },
      /accountTimeout: expected a whole number from 1 to 2147483647/,
    ],
  ])('refuses %s, naming the field', (_case, json, message) => {
    const error = configError(() => parseConfig(json, {}, 'my.json'));
    expect(error.message).toMatch(/^my\.json: /);
    expect(error.message).toMatch(message);
  });

  it('refuses a literal apiKey without echoing its value', () => {
    const literal = 'sk-LITERAL-in-config-9f8e7d6c5b4a';
    const error = configError(() =>
      parseConfig({ accounts: [{ provider: 'iqqz', apiKey: literal }] }, { IQQZ_API_KEY: 'other' }),
    );
    expect(error.message).toMatch(/accounts\[0\]\.apiKey: API keys do not belong in the config file/);
    expect(error.message).toContain('apiKeyEnv');
    expect(error.message).not.toContain(literal);
    expect(error.message).not.toContain('sk-');
  });

  it('refuses an apiKeyEnv naming an unset or empty variable', () => {
    const unset = configError(() => parseConfig({ accounts: [{ provider: 'iqqz', apiKeyEnv: 'MY_GATEWAY_KEY' }] }, {}));
    expect(unset.message).toMatch(
      /accounts\[0\]\.apiKeyEnv: the environment variable MY_GATEWAY_KEY is not set or empty/,
    );
    const empty = configError(() =>
      parseConfig({ accounts: [{ provider: 'iqqz', apiKeyEnv: 'MY_GATEWAY_KEY' }] }, { MY_GATEWAY_KEY: ' ' }),
    );
    expect(empty.message).toContain('MY_GATEWAY_KEY is not set or empty');
  });
});

describe('secrets and client settings in the config file', () => {
  it('invalid JSON names the line and column but never quotes the text around the fault', async () => {
    const file = join(directory, 'pasted-key.json');
    await writeFile(file, '{\n  "accounts": [{ "provider": "iqqz", "apiKey": sk-PASTED-SECRET-123 }]\n}');
    const error = await loadConfig({ configPath: file, cwd: directory, environment: {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    // Node 20 says "Unexpected token"; newer versions add "at position N", shown as line and column.
    expect((error as ConfigError).message).toMatch(
      /pasted-key\.json is not valid JSON \(Unexpected token( at line 2, column \d+)?\)$/,
    );
    expect((error as ConfigError).message).not.toContain('PASTED');
  });

  it('an account without apiKeyEnv takes the provider variable from the given environment, not process.env', () => {
    const config = parseConfig({ accounts: [{ provider: 'imaginepro' }] }, { IMAGINEPRO_API_KEY: 'from-context' });
    expect(config.accounts[0]?.apiKey).toBe('from-context');
    const without = parseConfig({ accounts: [{ provider: 'imaginepro' }] }, {});
    expect(without.accounts[0]?.apiKey).toBeUndefined();
  });

  it('reads timeout and maxRetries as client settings, allowInsecureHttp per account', () => {
    const config = parseConfig(
      {
        timeout: 5000,
        maxRetries: 0,
        accounts: [{ provider: 'iqqz', baseURL: 'http://10.0.0.5:3000', allowInsecureHttp: true }],
      },
      {},
    );
    expect(config.settings).toEqual({ timeout: 5000, maxRetries: 0 });
    expect(config.accounts[0]).toMatchObject({ allowInsecureHttp: true });
    expect(parseConfig({ accounts: [{ provider: 'iqqz' }] }, {}).settings).toBeUndefined();
    expect(configError(() => parseConfig({ maxRetries: -1, accounts: [{ provider: 'iqqz' }] }, {})).message).toMatch(
      /maxRetries: expected a whole number of at least 0/,
    );
    expect(
      configError(() => parseConfig({ accounts: [{ provider: 'iqqz', allowInsecureHttp: 'yes' }] }, {})).message,
    ).toMatch(/accounts\[0\]\.allowInsecureHttp: expected true or false/);
  });
});
