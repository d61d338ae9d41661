import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';

import { main } from 'aicredits/cli';
import { afterEach, describe, expect, it } from 'vitest';

import { createStore } from './create-store.js';
import { startReceiver } from './testing/receiver.js';
import { scriptedApiKey, startScriptedImaginePro } from './testing/scripted-provider.js';
import { startSmtpServer } from './testing/smtp-server.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';

const directories = useTemporaryDirectory();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function output() {
  let text = '';
  return { stream: { write: (chunk: string) => (text += chunk) }, text: () => text };
}

async function project(
  watch: Record<string, unknown>,
  { labels = ['main'], concurrency }: { labels?: string[]; concurrency?: number } = {},
) {
  const provider = await startScriptedImaginePro();
  cleanups.push(() => provider.close());
  const directory = await directories.create();
  const config = {
    accounts: labels.map((label) => ({
      provider: 'imaginepro',
      label,
      apiKeyEnv: 'TEST_IMAGINEPRO_KEY',
      baseURL: provider.server.url,
      min: 500,
    })),
    maxRetries: 0,
    ...(concurrency === undefined ? {} : { concurrency }),
    watch: { store: 'state/history.db', ...watch },
  };
  const configPath = directory.join('aicredits.config.json');
  await writeFile(configPath, JSON.stringify(config));
  const run = async (argv: string[], environment: Record<string, string> = {}) => {
    const stdout = output();
    const stderr = output();
    const code = await main({
      argv,
      environment: { TEST_IMAGINEPRO_KEY: scriptedApiKey, ...environment },
      cwd: directory.path,
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  return { provider, directory, configPath, run };
}

describe('aicredits watch --once and aicredits history', () => {
  it('stores a round, exits like balances (1 when low), notifies Slack, and history shows it', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const { provider, run, directory } = await project({ notify: [{ type: 'slack', urlEnv: 'SLACK_URL' }] });
    const environment = { SLACK_URL: `${receiver.url}/services/T000/B000/XXX` };

    provider.state.credits = 800;
    const ok = await run(['watch', '--once'], environment);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/imaginepro\/main {2}800 \/ 1000 credits {2}active\n$/);

    provider.state.credits = 400;
    const low = await run(['watch', '--once'], environment);
    expect(low.code).toBe(1);
    expect(low.stdout).toContain('LOW (min 500)');
    expect(receiver.received).toHaveLength(1);
    const slack = JSON.parse(receiver.received[0]!.body) as { text: string; mrkdwn: boolean };
    expect(slack.mrkdwn).toBe(false);
    expect(slack.text).toMatch(
      /^aicredits: imaginepro\/main is low\n• imaginepro\/main is low \[STARTER\]: 400 credits left, below the minimum of 500/,
    );

    const history = await run(['history']);
    expect(history.code).toBe(0);
    expect(history.stdout.split('\n').filter((line) => line.includes('imaginepro/main  '))).toHaveLength(2);
    const json = JSON.parse((await run(['history', '--json'])).stdout) as { readings: { remaining: number }[] };
    expect(json.readings.map((reading) => reading.remaining)).toEqual([800, 400]);

    const store = await createStore({ url: `file:${join(directory.path, 'state/history.db')}` });
    try {
      expect(await store.count()).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('one --once round sends one message with every transition of the round, each once', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const labels = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    // Two at a time, so the round's readings arrive (and are written) in several batches.
    const { provider, run } = await project(
      { notify: [{ type: 'slack', urlEnv: 'SLACK_URL' }] },
      { labels, concurrency: 2 },
    );
    const environment = { SLACK_URL: `${receiver.url}/services/T000/B000/XXX` };
    const messages = () => receiver.received.map((request) => (JSON.parse(request.body) as { text: string }).text);

    provider.state.credits = 800;
    expect((await run(['watch', '--once'], environment)).code).toBe(0);
    expect(messages()).toEqual([]);

    provider.state.credits = 400;
    expect((await run(['watch', '--once'], environment)).code).toBe(1);
    expect(messages()).toHaveLength(1);
    const low = messages()[0]!.split('\n');
    expect(low[0]).toBe('aicredits: 5 account alerts');
    expect(low.slice(1).sort()).toEqual(
      labels
        .map((label) => `• imaginepro/${label} is low [STARTER]: 400 credits left, below the minimum of 500`)
        .sort(),
    );

    // Still low: nothing new to say.
    expect((await run(['watch', '--once'], environment)).code).toBe(1);
    expect(messages()).toHaveLength(1);

    provider.state.credits = 900;
    expect((await run(['watch', '--once'], environment)).code).toBe(0);
    expect(messages()).toHaveLength(2);
    const recovered = messages()[1]!.split('\n');
    expect(recovered[0]).toBe('aicredits: 5 account alerts');
    expect(
      recovered
        .slice(1)
        .map((line) => line.replace(/ after .*/, ''))
        .sort(),
    ).toEqual(labels.map((label) => `• imaginepro/${label} recovered [STARTER]: back to normal`).sort());
  });

  it("the README's steps: Slack and email each get one message when an account goes low and one when it recovers", async () => {
    const slack = await startReceiver();
    cleanups.push(() => slack.close());
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    // The README's notify section as it is written there.
    const { provider, run } = await project({
      notify: [
        { type: 'slack', urlEnv: 'SLACK_WEBHOOK_URL' },
        { type: 'email', smtpUrlEnv: 'SMTP_URL', from: 'aicredits@example.com', to: ['ops@example.com'] },
      ],
    });
    const environment = { SLACK_WEBHOOK_URL: `${slack.url}/services/T000/B000/XXX`, SMTP_URL: smtp.url };
    // A provider that echoes the key and sends mentions, markup and escape sequences in its plan name.
    provider.state.plan = `<!channel> *PRO* \u001b[31mred\u001b[0m ${scriptedApiKey}`;

    provider.state.credits = 800;
    expect((await run(['watch', '--once'], environment)).code).toBe(0);
    provider.state.credits = 400;
    const low = await run(['watch', '--once'], environment);
    expect(low.code).toBe(1);
    provider.state.credits = 420;
    expect((await run(['watch', '--once'], environment)).code).toBe(1);
    provider.state.credits = 900;
    const recovered = await run(['watch', '--once'], environment);
    expect(recovered.code).toBe(0);
    expect(recovered.stderr).toBe('aicredits watch: notified slack\naicredits watch: notified email\n');

    expect(smtp.messages.map((message) => message.subject)).toEqual([
      'aicredits: imaginepro/main is low',
      'aicredits: imaginepro/main recovered',
    ]);
    const [lowMail, recoveredMail] = smtp.messages;
    expect(lowMail!.from).toBe('aicredits@example.com');
    expect(lowMail!.to).toEqual(['ops@example.com']);
    expect(lowMail!.text).toMatch(
      /^imaginepro\/main is low \[<!channel> \*PRO\* red \[REDACTED\]\]: 400 credits left, below the minimum of 500/,
    );
    expect(recoveredMail!.text).toMatch(
      /^imaginepro\/main recovered \[<!channel> \*PRO\* red \[REDACTED\]\]: back to normal after/,
    );
    const slackTexts = slack.received.map((request) => (JSON.parse(request.body) as { text: string }).text);
    expect(slackTexts).toHaveLength(2);
    expect(slackTexts[0]).toMatch(
      /^aicredits: imaginepro\/main is low\n• imaginepro\/main is low \[&lt;!channel&gt; \*PRO\* red \[REDACTED\]\]/,
    );
    expect(slackTexts[1]).toMatch(/^aicredits: imaginepro\/main recovered\n/);
    for (const text of [
      ...smtp.messages.map((message) => message.data),
      ...slack.received.map((request) => request.body),
    ]) {
      expect(text).not.toContain(scriptedApiKey);
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('\\u001b');
    }

    // The readings accumulated: four rounds in the history.
    const history = JSON.parse((await run(['history', '--json'])).stdout) as { readings: { remaining: number }[] };
    expect(history.readings.map((reading) => reading.remaining)).toEqual([800, 400, 420, 900]);
  });

  it('balances shows the forecast from the history', async () => {
    const { provider, run, directory } = await project({});
    const store = await createStore({ url: `file:${join(directory.path, 'state/history.db')}` });
    const now = Date.now();
    const { reading } = await import('./testing/readings.js');
    await store.append(
      [0, 1, 2].map((days) =>
        reading({
          provider: 'imaginepro',
          account: 'main',
          at: new Date(now - (3 - days) * 86_400_000),
          remaining: 1000 - days * 100,
          limit: 1000,
          unit: 'credits',
        }),
      ),
    );
    await store.close();
    provider.state.credits = 700;
    const balances = await run(['balances']);
    expect(balances.stderr).toBe('');
    expect(balances.stdout).toMatch(/runs out ~\w{3} \d+.*\(100\/day\)/);
  });

  it('setup errors exit 2 before any request: a notifier URL in the file, an unset variable, a bad duration', async () => {
    const inFile = await project({ notify: [{ type: 'webhook', url: 'https://example.invalid/hook' }] });
    const first = await inFile.run(['watch', '--once']);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/watch\.notify\[0\]\.url: URLs and secrets do not belong in the config file/);

    const unset = await project({ notify: [{ type: 'slack', urlEnv: 'NOT_SET_ANYWHERE' }] });
    expect((await unset.run(['watch', '--once'])).stderr).toMatch(
      /the environment variable NOT_SET_ANYWHERE is not set/,
    );

    const duration = await project({ interval: 'often' });
    const third = await duration.run(['watch', '--once']);
    expect(third.code).toBe(2);
    expect(third.stderr).toMatch(/watch\.interval: expected a duration like "5m"/);
    expect(
      inFile.provider.server.requests.length +
        unset.provider.server.requests.length +
        duration.provider.server.requests.length,
    ).toBe(0);
  });

  it('a libSQL server out of reach is a setup error: exit 2 naming it, before any request, without its token', async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const token = 'libsql-token-for-the-team-server';
    const { provider, run } = await project({
      store: `libsql://127.0.0.1:${port}?tls=0`,
      storeAuthTokenEnv: 'HISTORY_TOKEN',
    });
    for (const command of ['watch', 'history']) {
      const result = await run(command === 'watch' ? ['watch', '--once'] : ['history'], { HISTORY_TOKEN: token });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^aicredits ${command}: history store libsql://127\\.0\\.0\\.1:${port}: cannot open the database: cannot reach the libSQL server \\(connect ECONNREFUSED`,
        ),
      );
      expect(result.stderr + result.stdout).not.toContain(token);
    }
    expect(provider.server.requests).toHaveLength(0);
  });

  it('a corrupt history file is a clear setup error, and the file is left as it was', async () => {
    const { run, directory } = await project({ store: 'broken.db' });
    await writeFile(directory.join('broken.db'), 'not a database\n'.repeat(200));
    const result = await run(['watch', '--once']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /history store .*broken\.db: cannot open the database: the file is not an SQLite database/,
    );
  });

  it('history --since must be a duration', async () => {
    const { run } = await project({});
    const result = await run(['history', '--since', 'last tuesday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--since: expected a duration like 7d/);
  });

  it('the aicredits bin: SIGTERM during watch stops it cleanly with exit 0 and the readings stored', async () => {
    const { provider, directory, configPath } = await project({ interval: '1h', jitter: '0s' });
    provider.state.credits = 900;
    const bin = join(dirname(createRequire(import.meta.url).resolve('aicredits/package.json')), 'bin/aicredits.js');
    const child = spawn(process.execPath, [bin, 'watch', '--config', configPath], {
      cwd: directory.path,
      env: { PATH: process.env['PATH'] ?? '', HOME: directory.path, TEST_IMAGINEPRO_KEY: scriptedApiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('imaginepro/main')) resolve();
      });
    });
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/stopping/);
    const store = await createStore({ url: `file:${join(directory.path, 'state/history.db')}` });
    try {
      expect((await store.readings()).map((reading) => reading.remaining)).toEqual([900]);
    } finally {
      await store.close();
    }
  });
});

describe('the conventions of aicredits, in watch, history and serve (the bin as a child process)', () => {
  const bin = () => join(dirname(createRequire(import.meta.url).resolve('aicredits/package.json')), 'bin/aicredits.js');
  const runBin = (argv: string[], cwd: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin(), ...argv], {
        cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: cwd, TEST_IMAGINEPRO_KEY: scriptedApiKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('a mistyped option gets "did you mean", a missing value or stray argument is a usage error (exit 2)', async () => {
    const directory = await directories.create();
    const runs = await Promise.all(
      [
        ['watch', '--acount', 'main'],
        ['history', '--jsn'],
        ['serve', '--prot', '0'],
        ['watch', '--config'],
        ['history', 'extra'],
      ].map((argv) => runBin(argv, directory.path)),
    );
    expect(runs.map((run) => run.stderr.split('\n')[0])).toEqual([
      'aicredits watch: unknown option "--acount"; did you mean --account?',
      'aicredits history: unknown option "--jsn"; did you mean --json?',
      'aicredits serve: unknown option "--prot"; did you mean --port?',
      'aicredits watch: --config needs a value <file>',
      'aicredits history: unexpected argument "extra"',
    ]);
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toMatch(/ERR_PARSE_ARGS|Unknown option/);
    }
  });

  it('aicredits help <command> shows examples and the docs link', async () => {
    const directory = await directories.create();
    for (const command of ['watch', 'history', 'serve']) {
      const [help, flag] = await Promise.all([
        runBin(['help', command], directory.path),
        runBin([command, '--help'], directory.path),
      ]);
      expect(help.code, help.stderr).toBe(0);
      expect(flag.stdout).toBe(help.stdout);
      expect(help.stdout).toMatch(new RegExp(`^Usage: aicredits ${command} \\[options\\]`));
      expect(help.stdout).toContain(`Examples:\n  $ aicredits ${command}`);
      expect(help.stdout).toContain(
        'Learn more: https://github.com/aicredits/aicredits/tree/main/packages/monitor#readme',
      );
    }
  });

  it('watch --once --account takes a comma list, as balances does', async () => {
    const { directory, configPath } = await project({}, { labels: ['main', 'side', 'other'] });
    const run = await runBin(['watch', '--once', '--config', configPath, '--account', 'main,other'], directory.path);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('imaginepro/main');
    expect(run.stdout).toContain('imaginepro/other');
    expect(run.stdout).not.toContain('imaginepro/side');
  });
});
