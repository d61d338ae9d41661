/**
 * The CLI's conventions, end to end with the built bin as a child process: help and version,
 * "did you mean", durations, comma lists, signals, colour and the detailed exit codes. Every
 * provider here is a scripted local server (no Prism), so these runs are quick.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { closedPortURL, imagineProAccountInfo } from '../testing/fixtures.js';
import { parseTable } from '../testing/parse-table.js';
import { binPath, runCli, startCli } from '../testing/run-cli.js';

const key = 'imp-conventions-SECRET-5ad1c9';
const environment = { TEST_IMAGINEPRO_KEY: key };
const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  homepage: string;
};

let directory: string;
let healthy: TestServer;
let expired: TestServer;
let rejecting: TestServer;
let downURL: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aicredits-conventions-'));
  healthy = await startTestServer();
  healthy.respondWith({ body: imagineProAccountInfo });
  expired = await startTestServer();
  expired.respondWith({ body: { ...imagineProAccountInfo, expiredAt: '2021-01-01T00:00:00.000Z' } });
  rejecting = await startTestServer();
  rejecting.respondWith({ status: 401, body: { message: 'invalid api key' } });
  downURL = await closedPortURL();
  servers.push(healthy, expired, rejecting);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

const account = (label: string, baseURL: string, extra: object = {}) => ({
  provider: 'imaginepro',
  label,
  apiKeyEnv: 'TEST_IMAGINEPRO_KEY',
  baseURL,
  ...extra,
});

let configCount = 0;
async function config(accounts: object[], extra: object = {}): Promise<string> {
  const path = join(directory, `config-${++configCount}.json`);
  await writeFile(path, JSON.stringify({ accounts, ...extra }));
  return path;
}

const cli = (args: readonly string[], extraEnvironment: Record<string, string> = {}) =>
  runCli(args, { environment: { ...environment, ...extraEnvironment }, cwd: directory });

describe('help and version', () => {
  it('aicredits help, --help and -h list the commands with examples and the docs link', async () => {
    const runs = await Promise.all([cli(['help']), cli(['--help']), cli(['-h'])]);
    for (const run of runs) {
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage: aicredits <command> \[options\]/);
      expect(run.stdout).toMatch(/^ {2}balances {2}/m);
      expect(run.stdout).toMatch(/^ {2}version {3}/m);
      expect(run.stdout).toContain('Examples:\n  $ aicredits');
      expect(run.stdout).toContain(`Learn more: ${packageJson.homepage}`);
    }
    expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
  });

  it('aicredits help balances equals balances --help: options, exit codes, examples, docs link', async () => {
    const [help, flag] = await Promise.all([cli(['help', 'balances']), cli(['balances', '--help'])]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(flag.stdout).toBe(help.stdout);
    expect(help.stdout).toMatch(/^Usage: aicredits balances \[options\]/);
    for (const text of ['--timeout <duration>', '--detailed-exit-codes', 'Exit codes:', '130, 143', 'Examples:']) {
      expect(help.stdout).toContain(text);
    }
    expect(help.stdout).toMatch(/^ {2}6 {2}a provider could not be reached/m);
    expect(help.stdout).toContain(`Learn more: ${packageJson.homepage}`);
  });

  it("the README's help blocks are what aicredits help <command> prints", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/^```\n(Usage: aicredits (\w+|<command>) [^\n]*\n[\s\S]*?)^```$/gm)];
    expect(blocks.map((block) => block[2])).toContain('balances');
    for (const [, text, command] of blocks) {
      const run = await cli(command === '<command>' ? ['help'] : ['help', command!]);
      expect(run.code).toBe(0);
      expect(text, `README help of ${command}`).toBe(run.stdout);
    }
  });

  it('aicredits version, --version and -v print the version alone', async () => {
    const runs = await Promise.all([cli(['version']), cli(['--version']), cli(['-v'])]);
    for (const run of runs) expect(run).toMatchObject({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});

describe('did you mean', () => {
  it('a mistyped command or option exits 2 with a suggestion instead of parseArgs text', async () => {
    const [command, option, shortOption, helpTopic, unrelated] = await Promise.all([
      cli(['balance']),
      cli(['balances', '--jsn']),
      cli(['--provder', 'iqqz']),
      cli(['help', 'balanses']),
      cli(['credits']),
    ]);
    for (const run of [command, option, shortOption, helpTopic, unrelated]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('ERR_PARSE_ARGS');
      expect(run.stderr).not.toContain("place it at the end of the command after '--'");
    }
    expect(command.stderr).toBe(
      `aicredits: unknown command "balance"; did you mean balances?\nRun 'aicredits --help' for usage.\n`,
    );
    expect(option.stderr).toBe(
      `aicredits: unknown option "--jsn"; did you mean --json?\nRun 'aicredits --help' for usage.\n`,
    );
    expect(shortOption.stderr).toContain('did you mean --provider?');
    expect(helpTopic.stderr).toContain('did you mean balances?');
    expect(unrelated.stderr).toContain('unknown command "credits"');
    expect(unrelated.stderr).not.toContain('did you mean');
  });

  it('a string option without its value, or a flag with one, is a usage error', async () => {
    const [missing, swallowed, flagValue] = await Promise.all([
      cli(['--config']),
      cli(['--config', '--json']),
      cli(['--json=yes']),
    ]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('--config needs a value <file>');
    expect(swallowed.stderr).toContain('--config needs a value');
    expect(flagValue.stderr).toContain('--json takes no value');
  });
});

describe('durations and comma lists', () => {
  it('--timeout takes ms, s and bare milliseconds: the budget in the timeout error says so', async () => {
    const hanging = await startTestServer();
    servers.push(hanging);
    hanging.handle(() => {});
    const path = await config([account('slow', hanging.url)], { maxRetries: 0 });
    const budgetOf = async (timeout: string) => {
      const run = await cli(['--config', path, '--json', '--timeout', timeout]);
      expect(run.code).toBe(1);
      const document = JSON.parse(run.stdout) as { results: { error: { name: string; message: string } }[] };
      expect(document.results[0]!.error.name).toBe('TimeoutError');
      return /time budget of (\d+) ms/.exec(document.results[0]!.error.message)?.[1];
    };
    expect(await budgetOf('0.3s')).toBe('300');
    expect(await budgetOf('250ms')).toBe('250');
    expect(await budgetOf('200')).toBe('200');
  });

  it('a duration with an unknown unit or out of range exits 2 before any request', async () => {
    const before = healthy.requests.length;
    const path = await config([account('main', healthy.url)]);
    const runs = await Promise.all(
      ['5x', '0s', '-1', '1e3', '700h'].map((value) => cli(['--config', path, '--timeout', value])),
    );
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--timeout: expected a duration such as 500ms, 60s or 2m');
    }
    expect(healthy.requests.length).toBe(before);
  });

  it('--provider and --account take comma lists as well as repeats', async () => {
    const path = await config([
      account('main', healthy.url),
      account('side', healthy.url),
      account('other', healthy.url),
      { provider: 'crowdcomputed', label: 'never-asked', baseURL: downURL },
    ]);
    const accountsOf = (run: { stdout: string }) => parseTable(run.stdout).rows.map((row) => row.ACCOUNT);
    const [commas, repeated, providers] = await Promise.all([
      cli(['--config', path, '--account', 'main,side']),
      cli(['--config', path, '--account', 'main', '--account', 'other']),
      cli(['--config', path, '--provider', 'imaginepro,iqqz']),
    ]);
    expect(commas.code).toBe(0);
    expect(accountsOf(commas)).toEqual(['main', 'side']);
    expect(accountsOf(repeated)).toEqual(['main', 'other']);
    // The closed-port CrowdComputed account is filtered out, so nothing failed.
    expect(providers.code).toBe(0);
    expect(accountsOf(providers)).toEqual(['main', 'side', 'other']);
    const empty = await cli(['--config', path, '--provider', 'imaginepro,']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--provider: empty item in "imaginepro,"');
  });
});

describe('--detailed-exit-codes', () => {
  it('0/1 by default; 3 low, 4 expired, 5 failed, 6 unreachable with the flag, the highest winning', async () => {
    const configs = {
      fine: await config([account('main', healthy.url)]),
      low: await config([account('main', healthy.url, { min: 5000 })]),
      expired: await config([account('old', expired.url)]),
      failed: await config([account('revoked', rejecting.url)]),
      unreachable: await config([account('down', downURL)]),
      mixed: await config([
        account('main', healthy.url, { min: 5000 }),
        account('old', expired.url),
        account('revoked', rejecting.url),
      ]),
    };
    const codes: Record<string, [number | null, number | null]> = {};
    for (const [name, path] of Object.entries(configs)) {
      const [plain, detailed] = await Promise.all([
        cli(['--config', path, '--json']),
        cli(['--config', path, '--json', '--detailed-exit-codes']),
      ]);
      codes[name] = [plain.code, detailed.code];
    }
    expect(codes).toEqual({
      fine: [0, 0],
      low: [1, 3],
      expired: [1, 4],
      failed: [1, 5],
      unreachable: [1, 6],
      mixed: [1, 5],
    });
    const usage = await cli(['--config', join(directory, 'missing.json'), '--detailed-exit-codes']);
    expect(usage.code).toBe(2);
  });
});

describe('colour', () => {
  it('FORCE_COLOR forces it into a pipe; NO_COLOR, --no-color and FORCE_COLOR=0 remove it', async () => {
    const path = await config([account('main', healthy.url)]);
    const [forced, noColor, flag, forcedOff, plain] = await Promise.all([
      cli(['--config', path], { FORCE_COLOR: '1' }),
      cli(['--config', path], { FORCE_COLOR: '1', NO_COLOR: '1' }),
      cli(['--config', path, '--no-color'], { FORCE_COLOR: '1' }),
      cli(['--config', path], { FORCE_COLOR: '0' }),
      cli(['--config', path]),
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('\u001b[32mactive\u001b[0m');
    for (const run of [noColor, flag, forcedOff, plain]) {
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(/\u001b/);
      expect(parseTable(run.stdout).rows.map((row) => row.STATUS)).toEqual(['active']);
    }
  });

  it('on a terminal (a pty from script(1)): colour and the \\r progress line, neither with TERM=dumb', async () => {
    const hanging = await startTestServer();
    servers.push(hanging);
    // The slow account answers only once the fast one's row has been counted, so a progress line is drawn.
    const path = await config([account('main', healthy.url), account('late', hanging.url)], { concurrency: 1 });
    hanging.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(imagineProAccountInfo));
    });
    const onTerminal = (term: string) => {
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)} --config ${JSON.stringify(path)}`;
      // Not execFileSync: the test servers answering it run in this process.
      return promisify(execFile)('script', ['-qec', command, '/dev/null'], {
        env: { PATH: process.env['PATH'] ?? '', TERM: term, ...environment },
        encoding: 'utf8',
        timeout: 50_000,
      }).then((result) => result.stdout);
    };
    const terminal = await onTerminal('xterm-256color');
    expect(terminal).toContain('\u001b[32mactive\u001b[0m');
    expect(terminal).toContain('\r\u001b[2Kaicredits: 1 answered');
    const dumb = await onTerminal('dumb');
    expect(dumb).not.toMatch(/\u001b/);
    expect(dumb).not.toContain('answered, waiting');
    expect(dumb).toMatch(/late\s+STARTER/);
  });
});

describe('signals', () => {
  let slow: TestServer | undefined;
  afterEach(async () => {
    await slow?.close();
  });

  /** The first account answers; the second's server holds its request, and says when it has it. */
  async function startSlowRun(extraArgs: string[] = []) {
    slow = await startTestServer();
    let seen!: () => void;
    const requestSeen = new Promise<void>((resolve) => (seen = resolve));
    slow.handle(() => seen());
    const path = await config([account('main', healthy.url), account('stuck', slow.url)], { concurrency: 1 });
    const running = startCli(['--config', path, ...extraArgs], { environment, cwd: directory });
    await requestSeen;
    return running;
  }

  it('Ctrl-C prints what has arrived, shows the rest as interrupted and exits 130', async () => {
    const running = await startSlowRun();
    running.child.kill('SIGINT');
    const run = await running.finished;
    expect(run.code).toBe(130);
    const rows = parseTable(run.stdout).rows;
    expect(rows.map((row) => [row.ACCOUNT, row.STATUS])).toEqual([
      ['main', 'active'],
      ['stuck', 'interrupted'],
    ]);
    expect(run.stderr).toContain('Ctrl-C: stopping');
    expect(run.stderr).toContain('interrupted; accounts not done are shown as interrupted');
  });

  it('SIGTERM does the same with 143; --json names the interrupted account', async () => {
    const running = await startSlowRun(['--json']);
    running.child.kill('SIGTERM');
    const run = await running.finished;
    expect(run.code).toBe(143);
    const document = JSON.parse(run.stdout) as { results: Record<string, any>[] };
    expect(document.results.map((result) => [result.account, result.ok, result.error?.name ?? null])).toEqual([
      ['main', true, null],
      ['stuck', false, 'InterruptedError'],
    ]);
  });

  /** A run whose stdout nobody reads: a large document stays stuck in the pipe, as under a paused pager. */
  async function startUnreadRun(args: string[]) {
    slow = await startTestServer();
    let seen!: () => void;
    const requestSeen = new Promise<void>((resolve) => (seen = resolve));
    slow.handle(() => seen());
    // A label of 1 MB: the JSON document is far larger than a pipe's buffer.
    const path = await config([account('x'.repeat(1_000_000), slow.url)]);
    const child = spawn(process.execPath, [binPath, '--config', path, '--json', ...args], {
      cwd: directory,
      env: { PATH: process.env['PATH'] ?? '', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pause();
    let stderr = '';
    const stderrMatches = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => pattern.test(stderr) && resolve();
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          check();
        });
        check();
      });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    await requestSeen;
    return { child, stderrMatches, exited, stderr: () => stderr };
  }

  it('a second Ctrl-C ends the process at once while it cannot finish (its output stuck in an unread pipe)', async () => {
    const running = await startUnreadRun([]);
    try {
      running.child.kill('SIGINT');
      // The document is written (its write still pending) once this line follows it on stderr.
      await running.stderrMatches(/accounts not done are shown as interrupted/);
      running.child.kill('SIGINT');
      // Re-raised with the default action, so the shell reports 130 as for any Ctrl-C.
      expect(await running.exited).toEqual([null, 'SIGINT']);
    } finally {
      running.child.kill('SIGKILL');
    }
  });

  it('a reader that goes away (| head) ends the CLI quietly, without an EPIPE stack trace', async () => {
    const running = await startUnreadRun([]);
    try {
      running.child.kill('SIGINT');
      await running.stderrMatches(/accounts not done are shown as interrupted/);
      running.child.stdout.destroy();
      const [code] = await running.exited;
      expect(code).toBe(130);
      expect(running.stderr()).not.toMatch(/EPIPE|Unhandled|at .*\(/);
    } finally {
      running.child.kill('SIGKILL');
    }
  });

  it('a config FIFO is refused at once (exit 2) instead of waiting for a writer forever', async () => {
    // It used to be the one thing Ctrl-C could not stop; now nothing waits on it.
    const fifo = join(directory, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['--config', fifo], { environment, cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot read the config file ${fifo}: not a regular file`);
  });
});
