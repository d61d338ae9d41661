/**
 * `aicredits balances` end to end: the built bin as a child process against the Prism mock servers
 * running in this test process. Needs `npm run build` first (turbo runs it before `test`).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { closedPortURL, example, findLeaks, pixverseAccountSecrets } from '../testing/fixtures.js';
import { parseTable, type TableRow } from '../testing/parse-table.js';
import { binPath, runCli } from '../testing/run-cli.js';
import { main } from './main.js';

const keys = {
  TEST_CROWDCOMPUTED_KEY: 'cc-cli-SECRET-6b1d0f2e9a',
  TEST_USEAPI_TOKEN: 'useapi-cli-SECRET-77c3e1aa05',
  TEST_IMAGINEPRO_KEY: 'imp-cli-SECRET-3f9d20be41',
  TEST_IQQZ_KEY: 'sk-iqqz-cli-SECRET-c0ffee1234',
};
const secrets = [...Object.values(keys), ...pixverseAccountSecrets];
const providers = ['crowdcomputed', 'pixverse', 'imaginepro', 'iqqz'];
const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let servers: MockServers;
let directory: string;
/** Every account answers and none has a threshold: exit code 0. */
let goodConfig: string;
/** A revoked key, a provider that is down, and one good account. */
let failingConfig: string;
let downURL: string;

async function writeConfig(name: string, config: unknown): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return path;
}

function goodAccounts(urls: MockServers['urls']) {
  const cc = { provider: 'crowdcomputed', apiKeyEnv: 'TEST_CROWDCOMPUTED_KEY', baseURL: urls.crowdcomputed };
  const pv = { provider: 'pixverse', apiKeyEnv: 'TEST_USEAPI_TOKEN', baseURL: urls.pixverse };
  const imp = { provider: 'imaginepro', apiKeyEnv: 'TEST_IMAGINEPRO_KEY', baseURL: urls.imaginepro };
  const iq = { provider: 'iqqz', apiKeyEnv: 'TEST_IQQZ_KEY', baseURL: urls.iqqz };
  return [
    { ...cc, label: 'studio', headers: example('professional') },
    { ...cc, label: 'lapsed', headers: example('unsubscribed') },
    { ...pv, label: 'team', allAccounts: true },
    { ...pv, label: 'intern', email: 'intern@example.com', headers: example('lowCredits') },
    { ...imp, label: 'main' },
    { ...imp, label: 'side-project', headers: example('noExtra') },
    { ...iq, label: 'gpt-images', headers: example('fractional') },
    { ...iq, label: 'unlimited', headers: example('unlimited') },
    { ...iq, label: 'cny-gateway', unit: 'CNY' },
  ];
}

beforeAll(async () => {
  if (!existsSync(join(binPath, '../../dist/cli/main.js'))) {
    throw new Error('packages/aicredits is not built: run `npm run build` at the repository root first');
  }
  servers = await startMockServers();
  directory = await mkdtemp(join(tmpdir(), 'aicredits-cli-test-'));
  downURL = await closedPortURL();
  goodConfig = await writeConfig('good.json', { accounts: goodAccounts(servers.urls) });
  failingConfig = await writeConfig('failing.json', {
    accounts: [
      {
        provider: 'crowdcomputed',
        label: 'studio',
        apiKeyEnv: 'TEST_CROWDCOMPUTED_KEY',
        baseURL: servers.urls.crowdcomputed,
        headers: example('professional'),
      },
      {
        provider: 'crowdcomputed',
        label: 'revoked-key',
        apiKeyEnv: 'TEST_CROWDCOMPUTED_KEY',
        baseURL: servers.urls.crowdcomputed,
        headers: example('failed'),
      },
      { provider: 'imaginepro', label: 'down', apiKeyEnv: 'TEST_IMAGINEPRO_KEY', baseURL: downURL },
      {
        provider: 'iqqz',
        label: 'gpt-images',
        apiKeyEnv: 'TEST_IQQZ_KEY',
        baseURL: servers.urls.iqqz,
        headers: example('fractional'),
      },
    ],
  });
  // Generous: Prism takes a second to start, more on a busy machine.
}, 60_000);

afterAll(async () => {
  await servers?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

/** Runs the CLI with the test keys in its environment (and nothing else but PATH). */
const cli = (args: readonly string[], environment: Record<string, string> = keys, cwd?: string) =>
  runCli(args, { environment, ...(cwd === undefined ? {} : { cwd }) });

function rowOf(rows: TableRow[], account: string): TableRow {
  const row = rows.find((candidate) => candidate.ACCOUNT === account);
  expect(row, `no row for ${account}`).toBeDefined();
  return row!;
}

interface JsonDocument {
  ok: boolean;
  fetchedAt: string;
  results: Record<string, any>[];
}

describe('aicredits balances: the table', () => {
  it('shows a header and one row per account (PixVerse discovery expanded), plain text off a TTY', async () => {
    const run = await cli(['balances', '--config', goodConfig]);
    expect(run.stderr).toBe('');
    // The seed examples' plans (PixVerse 2025, ImaginePro 2022) have expired: that alone is an alert.
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    const { header, rows } = parseTable(run.stdout);
    expect(header).toMatch(/^PROVIDER\s+ACCOUNT\s+PLAN\s+REMAINING \/ LIMIT\s+UNIT\s+RENEWS \/ EXPIRES\s+STATUS$/);
    expect(rows.map((row) => [row.PROVIDER, row.ACCOUNT])).toEqual([
      ['crowdcomputed', 'studio'],
      ['crowdcomputed', 'lapsed'],
      ['pixverse', 'team/alice@example.com'],
      ['pixverse', 'team/bob@example.com'],
      ['pixverse', 'intern'],
      ['imaginepro', 'main'],
      ['imaginepro', 'side-project'],
      ['iqqz', 'gpt-images'],
      ['iqqz', 'unlimited'],
      ['iqqz', 'cny-gateway'],
    ]);
    expect(rowOf(rows, 'studio')).toEqual({
      PROVIDER: 'crowdcomputed',
      ACCOUNT: 'studio',
      PLAN: 'professional',
      'REMAINING / LIMIT': '37,170 / 50,000',
      UNIT: 'points',
      'RENEWS / EXPIRES': 'renews 2027-03-15',
      STATUS: 'active',
    });
    expect(rowOf(rows, 'lapsed')).toMatchObject({
      PLAN: 'hobby',
      'REMAINING / LIMIT': '150 / 1,500',
      STATUS: 'unsubscribed',
    });
    expect(rowOf(rows, 'team/alice@example.com')).toMatchObject({
      PLAN: 'Pro Plan',
      'REMAINING / LIMIT': '5,650',
      UNIT: 'credits',
      // The renewal date has passed: the expiry is what matters.
      'RENEWS / EXPIRES': 'expired 2025-01-01',
      STATUS: 'expired',
    });
    expect(rowOf(rows, 'intern')).toMatchObject({ 'REMAINING / LIMIT': '15', UNIT: 'credits' });
    expect(rowOf(rows, 'main')).toMatchObject({
      PLAN: 'STARTER',
      'REMAINING / LIMIT': '2,600',
      'RENEWS / EXPIRES': 'expired 2022-10-07',
      STATUS: 'expired',
    });
    // Dates relative to today: only the date itself is fixed.
    expect(rowOf(rows, 'side-project')['RENEWS / EXPIRES']).toMatch(/^(expires|expired) 2027-02-07$/);
    expect(rowOf(rows, 'side-project')['REMAINING / LIMIT']).toBe('1,240 / 1,600');
    expect(rowOf(rows, 'gpt-images')).toMatchObject({ PLAN: '', 'REMAINING / LIMIT': '11.2655 / 12.5', UNIT: 'USD' });
    expect(rowOf(rows, 'gpt-images')['RENEWS / EXPIRES']).toMatch(/^(expires|expired) 2027-06-30$/);
    expect(rowOf(rows, 'unlimited')).toMatchObject({ 'REMAINING / LIMIT': 'unlimited', UNIT: 'USD', STATUS: 'active' });
    expect(rowOf(rows, 'cny-gateway')).toMatchObject({
      'REMAINING / LIMIT': '2.5 / 5',
      UNIT: 'CNY',
      'RENEWS / EXPIRES': '',
    });
    expect(findLeaks(run.stdout + run.stderr, secrets)).toEqual([]);
  });

  it('one provider down (closed port) and a revoked key: exit 1, error rows, the others their balances', async () => {
    const run = await cli(['balances', '--config', failingConfig, '--no-color']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    const { rows } = parseTable(run.stdout);
    expect(rows.map((row) => row.ACCOUNT)).toEqual(['studio', 'revoked-key', 'down', 'gpt-images']);
    const down = rowOf(rows, 'down');
    expect(down).toMatchObject({ PROVIDER: 'imaginepro', PLAN: '', 'REMAINING / LIMIT': '', UNIT: '' });
    expect(down.STATUS).toMatch(/^error: ConnectionError: imaginepro .*could not reach/);
    expect(down.STATUS).toContain(downURL);
    expect(rowOf(rows, 'revoked-key').STATUS).toMatch(/^error: AuthenticationError: .*unauthorized/);
    expect(rowOf(rows, 'studio')['REMAINING / LIMIT']).toBe('37,170 / 50,000');
    expect(rowOf(rows, 'gpt-images')['REMAINING / LIMIT']).toBe('11.2655 / 12.5');
    expect(findLeaks(run.stdout + run.stderr, secrets)).toEqual([]);
  });
});

describe('aicredits balances --json', () => {
  it('exits 0 and says ok when every account answered, none is low and no plan has expired', async () => {
    const run = await cli([
      'balances',
      '--config',
      goodConfig,
      '--json',
      '--account',
      'studio',
      '--account',
      'side-project',
    ]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as JsonDocument).ok).toBe(true);
  });

  it('an expired plan alone makes the exit code 1, with enough credits and no threshold', async () => {
    const run = await cli(['balances', '--config', goodConfig, '--json', '--account', 'main']);
    expect(run.code).toBe(1);
    const [result] = (JSON.parse(run.stdout) as JsonDocument).results;
    expect(result?.['ok']).toBe(true);
    expect((result?.['balance'] as { status: string } | undefined)?.status).toBe('expired');
  });

  it('prints the documented document, ISO dates, no API key anywhere', async () => {
    const run = await cli(['balances', '--config', goodConfig, '--json']);
    // Every account answered, but the seed examples' plans have expired, so the document is not ok.
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const document = JSON.parse(run.stdout) as JsonDocument;
    expect(document.ok).toBe(false);
    expect(document.results.every((result) => result['ok'] === true)).toBe(true);
    expect(document.fetchedAt).toMatch(isoDate);
    expect(document.results).toHaveLength(10);
    for (const result of document.results) {
      expect(result).toMatchObject({ ok: true, low: false });
      expect(providers).toContain(result['provider']);
      expect(typeof result['account']).toBe('string');
      // What is not known is `null`, never left out: every documented field is always present.
      expect(result['min']).toBeNull();
      const balance = result['balance'] as Record<string, any>;
      expect(balance['provider']).toBe(result['provider']);
      expect(balance['account']).toBe(result['account']);
      expect(typeof balance['unit']).toBe('string');
      expect(typeof balance['unlimited']).toBe('boolean');
      expect(['active', 'expired', 'unsubscribed', 'unknown']).toContain(balance['status']);
      expect(Array.isArray(balance['parts'])).toBe(true);
      expect(Array.isArray(balance['notes'])).toBe(true);
      expect(balance['raw']).toBeTypeOf('object');
      expect(balance['fetchedAt']).toMatch(isoDate);
      for (const field of ['remaining', 'limit', 'used']) {
        expect(field in balance).toBe(true);
        if (balance[field] !== null) expect(balance[field]).toBeTypeOf('number');
      }
      for (const field of ['plan', 'renewsAt', 'expiresAt']) expect(field in balance).toBe(true);
      for (const field of ['renewsAt', 'expiresAt']) {
        if (balance[field] !== null) expect(balance[field]).toMatch(isoDate);
      }
      for (const part of balance['parts'] as Record<string, unknown>[]) {
        expect(part['name']).toBeTypeOf('string');
        for (const field of ['resetsAt', 'expiresAt']) if (part[field] != null) expect(part[field]).toMatch(isoDate);
      }
    }
    const byAccount = new Map(document.results.map((result) => [result['account'], result['balance']]));
    expect(byAccount.get('studio')).toMatchObject({
      remaining: 37170,
      limit: 50000,
      unit: 'points',
      renewsAt: '2027-03-15T00:00:00.000Z',
      parts: [
        { name: 'temporary', remaining: 33000, used: 12000, resetsAt: '2027-01-15T00:00:00.000Z' },
        { name: 'permanent', remaining: 4170, used: 830 },
      ],
      raw: { memberType: 'professional', nextPayTime: 1805068800 },
    });
    expect(byAccount.get('gpt-images')).toMatchObject({ remaining: 11.2655, limit: 12.5, used: 1.2345, unit: 'USD' });
    const unlimited = byAccount.get('unlimited');
    expect(unlimited).toMatchObject({ unlimited: true, unit: 'USD' });
    expect(unlimited).toHaveProperty('remaining', null);
    expect(unlimited).toHaveProperty('limit', null);
    expect(byAccount.get('team/bob@example.com')).toMatchObject({ remaining: 5650, plan: 'Pro Plan' });
    expect(findLeaks(run.stdout + run.stderr, [...secrets, '"jwt"', '"password"'])).toEqual([]);
    expect(run.stdout).not.toMatch(/\d\.\d{10,}/);
  });

  it('failed accounts carry error.name, message, status and rawBody; ok is false; exit 1', async () => {
    const run = await cli(['balances', '--config', failingConfig, '--json']);
    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout) as JsonDocument;
    expect(document.ok).toBe(false);
    const [studio, revoked, down, gateway] = document.results;
    expect(studio).toMatchObject({ ok: true, account: 'studio', low: false });
    expect(revoked).toMatchObject({
      ok: false,
      provider: 'crowdcomputed',
      account: 'revoked-key',
      error: {
        name: 'AuthenticationError',
        status: 200,
        providerMessage: 'unauthorized',
        rawBody: '{"code":"Failed","message":"unauthorized","data":null}',
      },
    });
    expect(revoked?.['error']['message']).toContain('unauthorized');
    expect(revoked).not.toHaveProperty('balance');
    expect(down).toMatchObject({
      ok: false,
      provider: 'imaginepro',
      account: 'down',
      error: { name: 'ConnectionError' },
    });
    expect(down?.['error']['message']).toContain(downURL);
    expect(down?.['error']).not.toHaveProperty('status');
    expect(down?.['error']).toHaveProperty('attempts');
    expect(gateway).toMatchObject({ ok: true, balance: { remaining: 11.2655 } });
    expect(findLeaks(run.stdout + run.stderr, secrets)).toEqual([]);
  });
});

describe('thresholds, filters and exit codes', () => {
  it('--min 100000 makes every limited account low: exit 1; unlimited stays fine', async () => {
    const run = await cli(['balances', '--config', goodConfig, '--json', '--min', '100000']);
    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout) as JsonDocument;
    expect(document.ok).toBe(false);
    for (const result of document.results) {
      expect(result['min']).toBe(100000);
      expect(result['low']).toBe(result['account'] !== 'unlimited');
    }
  });

  it('--json --min 100 against the mock: low exactly where remaining < 100, exit 1', async () => {
    const [json, table] = await Promise.all([
      cli(['balances', '--json', '--min', '100', '--config', goodConfig]),
      cli(['balances', '--min', '100', '--config', goodConfig]),
    ]);
    expect(json.code).toBe(1);
    expect(table.code).toBe(1);
    const document = JSON.parse(json.stdout) as JsonDocument;
    expect(document.ok).toBe(false);
    const low = document.results.filter((result) => result['low']).map((result) => result['account']);
    expect(low).toEqual(['intern', 'gpt-images', 'cny-gateway']);
    for (const result of document.results) {
      const balance = result['balance'];
      expect(result['low']).toBe(!balance['unlimited'] && balance['remaining'] < 100);
    }
    const { rows } = parseTable(table.stdout);
    expect(rowOf(rows, 'intern').STATUS).toContain('LOW (min 100)');
    expect(rowOf(rows, 'studio').STATUS).not.toContain('LOW');
    expect(rowOf(rows, 'unlimited').STATUS).toBe('active');
  });

  it('a config min applies unless an account has its own, and --min overrides both', async () => {
    const accounts = goodAccounts(servers.urls).filter((account) => ['studio', 'intern'].includes(account.label));
    const config = await writeConfig('config-min.json', {
      min: 10,
      accounts: accounts.map((account) => (account.label === 'intern' ? { ...account, min: 20 } : account)),
    });
    const fromConfig = await cli(['balances', '--config', config, '--json']);
    expect(fromConfig.code).toBe(1);
    const document = JSON.parse(fromConfig.stdout) as JsonDocument;
    expect(document.results.map((result) => [result['account'], result['min'], result['low']])).toEqual([
      ['studio', 10, false],
      ['intern', 20, true],
    ]);
    const overridden = await cli(['balances', '--config', config, '--json', '--min', '5']);
    expect(overridden.code).toBe(0);
    expect((JSON.parse(overridden.stdout) as JsonDocument).results.map((result) => result['min'])).toEqual([5, 5]);
  });

  it('--account with a PixVerse allAccounts label selects every account found under it', async () => {
    const run = await cli(['balances', '--config', goodConfig, '--account', 'team']);
    expect(parseTable(run.stdout).rows.map((row) => row.ACCOUNT)).toEqual([
      'team/alice@example.com',
      'team/bob@example.com',
    ]);
  });

  it('--provider and --account filter the accounts', async () => {
    const [iqqz, studio, email, both, none] = await Promise.all([
      cli(['balances', '--config', goodConfig, '--provider', 'iqqz']),
      cli(['balances', '--config', goodConfig, '--account', 'studio']),
      cli(['balances', '--config', goodConfig, '--account', 'bob@example.com']),
      cli([
        'balances',
        '--config',
        goodConfig,
        '--provider',
        'imaginepro',
        '--provider',
        'crowdcomputed',
        '--account',
        'main',
        '--account',
        'lapsed',
      ]),
      cli(['balances', '--config', goodConfig, '--account', 'nobody']),
    ]);
    expect(iqqz.code).toBe(0);
    expect(parseTable(iqqz.stdout).rows.map((row) => row.ACCOUNT)).toEqual(['gpt-images', 'unlimited', 'cny-gateway']);
    expect(parseTable(studio.stdout).rows.map((row) => row.ACCOUNT)).toEqual(['studio']);
    expect(parseTable(email.stdout).rows.map((row) => row.ACCOUNT)).toEqual(['team/bob@example.com']);
    expect(parseTable(both.stdout).rows.map((row) => row.ACCOUNT)).toEqual(['lapsed', 'main']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no configured account matches --provider / --account');
  });

  it('a bad --provider, --min or --concurrency is a usage error (exit 2)', async () => {
    const runs = await Promise.all([
      cli(['balances', '--config', goodConfig, '--provider', 'openai']),
      cli(['balances', '--config', goodConfig, '--min', 'lots']),
      cli(['balances', '--config', goodConfig, '--concurrency', '0']),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2]);
    expect(runs[0]?.stderr).toMatch(/--provider: expected one of .*iqqz.*, got "openai"/);
    expect(runs[1]?.stderr).toMatch(/--min: expected a number of at least 0, got "lots"/);
    expect(runs[2]?.stderr).toMatch(/--concurrency: expected a whole number of at least 1/);
    for (const run of runs) expect(run.stdout).toBe('');
  });
});

describe('bad configuration: exit 2 with a message naming the field', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'an unknown provider',
      { accounts: [{ provider: 'openai' }] },
      /accounts\[0\]\.provider: expected one of .*crowdcomputed.*iqqz/,
    ],
    [
      'an unknown field',
      { accounts: [{ provider: 'iqqz', apiKeyEnv: 'TEST_IQQZ_KEY', baseUrl: 'x' }] },
      /accounts\[0\]\.baseUrl: unknown field/,
    ],
    [
      'an unset apiKeyEnv',
      { accounts: [{ provider: 'iqqz', apiKeyEnv: 'NOT_SET_ANYWHERE' }] },
      /accounts\[0\]\.apiKeyEnv: the environment variable NOT_SET_ANYWHERE is not set/,
    ],
    ['invalid JSON', '{ "accounts": [ { "provider": "iqqz" } ', /is not valid JSON/],
  ])('%s', async (_case, config, message) => {
    const path = await writeConfig(`bad-${_case.replaceAll(' ', '-')}.json`, config);
    const run = await cli(['balances', '--config', path]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^aicredits: /);
    expect(run.stderr).toMatch(message);
  });

  it('a literal apiKey in the file is refused and its value is not echoed', async () => {
    const literal = 'sk-literal-IN-FILE-5e4d3c2b1a';
    const path = await writeConfig('literal-key.json', { accounts: [{ provider: 'iqqz', apiKey: literal }] });
    expect(await readFile(path, 'utf8')).toContain(literal);
    const run = await cli(['balances', '--config', path, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/accounts\[0\]\.apiKey: API keys do not belong in the config file/);
    expect(findLeaks(run.stdout + run.stderr, [literal, 'sk-literal'])).toEqual([]);
  });

  it('a missing file given with --config', async () => {
    const run = await cli(['balances', '--config', join(directory, 'does-not-exist.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read the config file .*does-not-exist\.json/);
  });

  it('no config file and no key in the environment lists the variables to set', async () => {
    const empty = await mkdtemp(join(directory, 'empty-'));
    const run = await cli(['balances'], {}, empty);
    expect(run.code).toBe(2);
    for (const name of ['CROWDCOMPUTED_API_KEY', 'USEAPI_API_TOKEN', 'IMAGINEPRO_API_KEY', 'IQQZ_API_KEY']) {
      expect(run.stderr).toContain(name);
    }
  });

  it('picks up ./aicredits.config.json from the working directory', async () => {
    const cwd = await mkdtemp(join(directory, 'cwd-'));
    await writeFile(
      join(cwd, 'aicredits.config.json'),
      JSON.stringify({ accounts: goodAccounts(servers.urls).filter((account) => account.label === 'studio') }),
    );
    const run = await cli(['balances'], keys, cwd);
    expect(run.code).toBe(0);
    expect(parseTable(run.stdout).rows.map((row) => row.ACCOUNT)).toEqual(['studio']);
  });
});

describe('help, version and usage errors', () => {
  it('balances --help prints the usage and exits 0', async () => {
    const [long, short] = await Promise.all([cli(['balances', '--help']), cli(['balances', '-h'])]);
    for (const run of [long, short]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: aicredits balances \[options\]/);
      expect(run.stdout).toContain('--config <file>');
      expect(run.stdout).toContain('Exit codes');
    }
  });

  it('--version prints the package version', async () => {
    const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const [long, short] = await Promise.all([cli(['--version']), cli(['-v'])]);
    expect(long).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
    expect(short).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });

  it('an unknown option or command exits 2 and points to --help', async () => {
    const [option, command] = await Promise.all([cli(['balances', '--bogus']), cli(['credits'])]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--bogus');
    expect(option.stderr).toContain("Run 'aicredits --help'");
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "credits"');
    expect(option.stdout + command.stdout).toBe('');
  });
});

describe('colours (in process, with a fake terminal)', () => {
  const terminal = () => {
    let text = '';
    return { isTTY: true, write: (chunk: string) => (text += chunk), text: () => text };
  };
  const runMain = async (argv: string[], environment: Record<string, string>) => {
    const stdout = terminal();
    const stderr = terminal();
    const code = await main({ argv, environment: { ...keys, ...environment }, cwd: directory, stdout, stderr });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };

  it('colours the status column on a terminal, and not with NO_COLOR or --no-color', async () => {
    const coloured = await runMain(['balances', '--config', goodConfig, '--account', 'studio'], {});
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain('\u001b[32mactive\u001b[0m');
    const noColor = await runMain(['balances', '--config', goodConfig, '--account', 'studio'], { NO_COLOR: '1' });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
    const flag = await runMain(['balances', '--config', goodConfig, '--account', 'studio', '--no-color'], {});
    expect(flag.stdout).not.toMatch(/\u001b\[/);
    expect(parseTable(flag.stdout).rows.map((row) => row.ACCOUNT)).toEqual(['studio']);
  });
});
