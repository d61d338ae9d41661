/**
 * The CLI against servers that send what no provider should: escape sequences, endless strings,
 * deep JSON, huge integers, echoed keys. Each is one account among good ones, and the rest of the
 * run must stay trustworthy.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expectNoSecretFragment, startTestServer, type TestServer } from '@aicredits/test-server';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { imagineProAccountInfo } from '../testing/fixtures.js';
import { parseTable } from '../testing/parse-table.js';
import { runCli } from '../testing/run-cli.js';
import { displayWidth } from './display-width.js';
import { main } from './main.js';

const key = 'imp-hostile-SECRET-5c2a9e71d0';
const environment = { TEST_IMAGINEPRO_KEY: key };

let directory: string;
let hostile: TestServer;
let good: TestServer;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aicredits-hostile-'));
  [hostile, good] = await Promise.all([startTestServer(), startTestServer()]);
  good.respondWith({ body: imagineProAccountInfo });
});
afterEach(() => {
  hostile.respondWith({ status: 500, body: { error: 'not scripted' } });
});
afterAll(async () => {
  await Promise.all([hostile.close(), good.close()]);
  await rm(directory, { recursive: true, force: true });
});

let configCount = 0;
async function writeConfig(config: unknown): Promise<string> {
  const path = join(directory, `config-${++configCount}.json`);
  await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

/** One hostile and one good ImaginePro account. */
async function twoAccounts(extra: Record<string, unknown> = {}): Promise<string> {
  const account = { provider: 'imaginepro', apiKeyEnv: 'TEST_IMAGINEPRO_KEY' };
  return writeConfig({
    accounts: [
      { ...account, label: 'hostile', baseURL: hostile.url },
      { ...account, label: 'good', baseURL: good.url },
    ],
    maxRetries: 0,
    ...extra,
  });
}

/** `main` in this process, its output captured, stdout treated as a terminal when `tty`. */
async function runMain(args: string[], { tty = false } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv: args,
    environment,
    cwd: directory,
    stdout: { write: (text: string) => (stdout += text), isTTY: tty },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
  });
  return { code, stdout, stderr };
}

/** Anything a terminal would act on: C0 but newline, DEL, C1, bidi controls, line separators. */
const terminalControls =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('provider text that would drive the terminal', () => {
  const attacks = [
    '\u001b[2J\u001b[H', // clear the screen
    '\u001b]0;pwned\u0007', // OSC: set the window title
    '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', // OSC 8 hyperlink
    '\u009b31m', // C1 CSI
    'fake\rimaginepro  good  STARTER  999,999', // carriage return overwriting the row
    '\u202eredro\u202c', // bidi override
    'line\u2028break',
  ];

  it.each(attacks)('a plan name %j is shown with its controls made visible, in the table', async (plan) => {
    hostile.respondWith({ body: { ...imagineProAccountInfo, type: plan } });
    const run = await runMain(['--config', await twoAccounts()]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(terminalControls);
    const rows = parseTable(run.stdout).rows;
    expect(rows).toHaveLength(2);
    expect(rows[0]!.PLAN).toMatch(/\\x1b|\\x9b|\\x0d|\\u202e|\\u2028/);
  });

  it('an error message with escapes reaches stderr and the table safely', async () => {
    hostile.respondWith({
      status: 401,
      headers: { 'content-type': 'text/plain' },
      body: 'denied \u001b[31m\u009b2J\u202e',
    });
    const run = await runMain(['--config', await twoAccounts()]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toMatch(terminalControls);
    expect(run.stdout).toContain('denied \\x1b[31m\\x9b2J\\u202e');
  });

  it('a config value with escapes in a setup error reaches stderr safely (exit 2)', async () => {
    const path = await writeConfig({
      accounts: [{ provider: 'imaginepro', label: 'x', bogus: 1, '\u009b2J\u001b[H': 1 }],
    });
    const run = await runMain(['--config', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(terminalControls);
  });

  it('--json escapes C1 and bidi characters as well as C0, and stays valid JSON', async () => {
    hostile.respondWith({ body: { ...imagineProAccountInfo, type: 'a\u009b31m\u202eb\u2066c\u0007' } });
    const run = await runMain(['--config', await twoAccounts(), '--json']);
    expect(run.stdout).not.toMatch(terminalControls);
    expect(run.stdout).toContain('a\\u009b31m\\u202eb\\u2066c\\u0007');
    expect(JSON.parse(run.stdout).results[0].balance.plan).toBe('a\u009b31m\u202eb\u2066c\u0007');
  });

  it('property: whatever a plan name holds, stdout has no terminal control and the table keeps its rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (plan) => {
        hostile.respondWith({ body: { ...imagineProAccountInfo, type: plan } });
        const run = await runMain(['--config', await twoAccounts()]);
        expect(run.stdout).not.toMatch(terminalControls);
        expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(3);
      }),
      { numRuns: 40, seed: 10 },
    );
  });
});

describe('column widths', () => {
  it('CJK and emoji labels and plans line up by display width', async () => {
    hostile.respondWith({ body: { ...imagineProAccountInfo, type: '专业版🚀' } });
    const account = { provider: 'imaginepro', apiKeyEnv: 'TEST_IMAGINEPRO_KEY' };
    const path = await writeConfig({
      accounts: [
        { ...account, label: '群计AI', baseURL: hostile.url },
        { ...account, label: 'plain', baseURL: good.url },
      ],
    });
    const run = await runMain(['--config', path]);
    const lines = run.stdout.split('\n').filter(Boolean);
    // The UNIT column starts at the same display column on every line.
    const unitColumn = (line: string) =>
      displayWidth(line.slice(0, line.indexOf(line.includes('UNIT') ? 'UNIT' : 'credits')));
    expect(new Set(lines.map(unitColumn)).size).toBe(1);
  });

  it('a 1 MiB plan name is cut; the other rows are not padded to it', async () => {
    hostile.respondWith({ body: { ...imagineProAccountInfo, type: 'P'.repeat(1024 * 1024) } });
    const run = await runMain(['--config', await twoAccounts()]);
    expect(run.code).toBe(0);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThan(400);
    expect(parseTable(run.stdout).rows[0]!.PLAN).toMatch(/^P+…$/);
  });
});

describe('one hostile body does not cost the other accounts their result', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('deep JSON in an unknown field of a success body: --json prints every account with a marker, in the real process', async () => {
    hostile.respondWith({ body: `${JSON.stringify(imagineProAccountInfo).slice(0, -1)}, "trace": ${deep(100_000)}}` });
    const run = await runCli(['--config', await twoAccounts(), '--json'], { environment, cwd: directory });
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.results.map((result: { account: string; ok: boolean }) => [result.account, result.ok])).toEqual([
      ['hostile', true],
      ['good', true],
    ]);
    expect(run.stdout).toContain('levels: not');
  });

  it('deep JSON in an error body: the failure is reported, the good account too', async () => {
    hostile.respondWith({ status: 500, body: `{"error": ${deep(100_000)}}` });
    const run = await runMain(['--config', await twoAccounts(), '--json']);
    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout);
    expect(document.results.map((result: { ok: boolean }) => result.ok)).toEqual([false, true]);
  });
});

describe('amounts', () => {
  it('integers pass exactly: 1234567890123 is not rounded to 12 digits', async () => {
    hostile.respondWith({
      body: { ...imagineProAccountInfo, credits: 1234567890123, creditsQuota: 2234567890123, creditsExtra: 0 },
    });
    const table = await runMain(['--config', await twoAccounts()]);
    expect(parseTable(table.stdout).rows[0]!['REMAINING / LIMIT']).toBe('1,234,567,890,123 / 2,234,567,890,123');
    const json = JSON.parse((await runMain(['--config', await twoAccounts(), '--json'])).stdout);
    expect(json.results[0].balance.remaining).toBe(1234567890123);
  });

  it('an amount that parses as Infinity is an invalid response, never Infinity or null', async () => {
    hostile.respondWith({ body: `${JSON.stringify(imagineProAccountInfo).slice(0, -1)}, "credits": 1e999}` });
    const run = await runMain(['--config', await twoAccounts(), '--json']);
    const [first] = JSON.parse(run.stdout).results;
    expect(first.ok).toBe(false);
    expect(first.error.name).toBe('InvalidResponseError');
  });
});

describe('the key, echoed in any form, is on no CLI surface', () => {
  const echoes = {
    exact: key,
    'JSON \\u escapes': [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    'URL-encoded': [...key].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    prefix: key.slice(0, 14),
  };
  it.each(Object.entries(echoes))('%s, in the body, the reason phrase and the request id', async (_form, echo) => {
    hostile.handle((_request, response) => {
      response.writeHead(401, `Unauthorized ${echo}`, { 'x-request-id': echo, 'content-type': 'application/json' });
      response.end(`{"message":"invalid key ${echo}"}`);
    });
    const table = await runMain(['--config', await twoAccounts()]);
    const json = await runMain(['--config', await twoAccounts(), '--json']);
    expectNoSecretFragment(undefined, key, {
      texts: { table: table.stdout, stderr: table.stderr, json: json.stdout, jsonStderr: json.stderr },
    });
    expect(table.code).toBe(1);
  });
});

describe('setup errors exit 2 before any request', () => {
  const base = { provider: 'imaginepro', apiKeyEnv: 'TEST_IMAGINEPRO_KEY' };
  const cases: Array<[string, unknown, RegExp]> = [
    [
      'a baseURL with credentials',
      { accounts: [{ ...base, baseURL: 'https://user:pw@api.example.com' }] },
      /user name or password/,
    ],
    ['a file: baseURL', { accounts: [{ ...base, baseURL: 'file:///etc/passwd' }] }, /must use https/],
    ['plain http to a remote host', { accounts: [{ ...base, baseURL: 'http://api.example.com' }] }, /plain http/],
    ['a baseURL that is not a URL', { accounts: [{ ...base, baseURL: 'not a url' }] }, /not an absolute URL/],
    [
      'a baseURL with a query',
      { accounts: [{ ...base, baseURL: 'https://api.example.com/?x=1' }] },
      /must not contain a query/,
    ],
    [
      'a header value with CR/LF',
      { accounts: [{ ...base, headers: { 'x-a': 'b\r\nx-c: d' } }] },
      /without line breaks/,
    ],
    [
      'a timeout beyond 2^31-1 ms',
      { accounts: [base], timeout: 2 ** 31 },
      /timeout: expected a whole number from 1 to 2147483647/,
    ],
    [
      'an accountTimeout beyond 2^31-1 ms',
      { accounts: [base], accountTimeout: 1e10 },
      /accountTimeout: expected a whole number from 1/,
    ],
    [
      'duplicate labels',
      {
        accounts: [
          { ...base, label: 'a' },
          { ...base, label: 'a' },
        ],
      },
      /label "a" is already used by accounts\[0\]/,
    ],
    ['provider __proto__', { accounts: [{ ...base, provider: '__proto__' }] }, /provider: expected one of/],
  ];
  it.each(cases)('%s', async (_case, config, message) => {
    const before = hostile.requests.length + good.requests.length;
    const run = await runMain(['--config', await writeConfig(config)]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(hostile.requests.length + good.requests.length).toBe(before);
  });

  it.each([
    ['a newline inside', 'imp-abc\ndef-0123456789'],
    ['an escape character', 'imp-abc\u001b[2Jdef-0123456789'],
    ['a non-ASCII character', 'imp-abcédef-0123456789'],
  ])('an API key with %s: exit 2, the key never quoted', async (_case, badKey) => {
    const path = await twoAccounts();
    let stderr = '';
    const code = await main({
      argv: ['--config', path],
      environment: { TEST_IMAGINEPRO_KEY: badKey },
      cwd: directory,
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/the API key contains a (control|non-ASCII) character at position 8/);
    expectNoSecretFragment(undefined, badKey.slice(8), { length: 6, texts: { stderr } });
  });

  it.each(['0x10', '1e3', ' 5', '5 ', '0b1', ''])('--min %j is refused', async (min) => {
    const run = await runMain(['--config', await twoAccounts(), '--min', min]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--min: expected a number/);
  });
});

describe('config files', () => {
  it.each(['/dev/zero', '/dev/urandom'])('--config %s is refused at once, not read', async (path) => {
    const run = await runMain(['--config', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot read the config file ${path}: not a regular file`);
  });

  it('a config file over 10 MiB is refused', async () => {
    const path = join(directory, 'huge.json');
    await writeFile(path, `{"accounts": [], "pad": "${'x'.repeat(10 * 1024 * 1024)}"}`);
    const run = await runMain(['--config', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('larger than 10485760 bytes');
  });

  it('a config file with a UTF-8 byte order mark is read', async () => {
    hostile.respondWith({ body: imagineProAccountInfo });
    const path = await writeConfig(
      `\ufeff${JSON.stringify({ accounts: [{ provider: 'imaginepro', apiKeyEnv: 'TEST_IMAGINEPRO_KEY', baseURL: good.url }] })}`,
    );
    const run = await runMain(['--config', path]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('validateResponses: false in the config accepts a body the spec refuses', async () => {
    hostile.respondWith({ body: { ...imagineProAccountInfo, email: 42 } });
    expect((await runMain(['--config', await twoAccounts()])).code).toBe(1);
    expect((await runMain(['--config', await twoAccounts({ validateResponses: false })])).code).toBe(0);
  });
});
