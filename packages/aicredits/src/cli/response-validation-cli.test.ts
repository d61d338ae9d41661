/**
 * Response validation as a user of the `aicredits` bin meets it (a child process, a config file, a
 * local server standing in for the provider): an answer without a field the balance does not use
 * still gives the balance, with a note; one without a field it needs fails that account; and
 * `validateResponses: false` in the config turns the checks off.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { imagineProAccountInfo } from '../testing/fixtures.js';
import { runCli } from '../testing/run-cli.js';

const key = 'imp-validation-SECRET-8e21c0d4';
const environment = { TEST_IMAGINEPRO_KEY: key };
const { email: _email, ...withoutEmail } = imagineProAccountInfo;
const { credits: _credits, ...withoutCredits } = imagineProAccountInfo;

let directory: string;
let servers: Record<'noEmail' | 'noCredits' | 'wrongType', TestServer>;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aicredits-validation-'));
  const [noEmail, noCredits, wrongType] = await Promise.all([startTestServer(), startTestServer(), startTestServer()]);
  noEmail.respondWith({ body: withoutEmail });
  noCredits.respondWith({ body: withoutCredits });
  wrongType.respondWith({ body: { ...imagineProAccountInfo, email: 42 } });
  servers = { noEmail, noCredits, wrongType };
});
afterAll(async () => {
  await Promise.all(Object.values(servers ?? {}).map((server) => server.close()));
  await rm(directory, { recursive: true, force: true });
});

async function config(
  name: string,
  accounts: Array<{ label: string; server: TestServer }>,
  extra = {},
): Promise<string> {
  const path = join(directory, `${name}.json`);
  const account = { provider: 'imaginepro', apiKeyEnv: 'TEST_IMAGINEPRO_KEY' };
  await writeFile(
    path,
    JSON.stringify({
      accounts: accounts.map(({ label, server }) => ({ ...account, label, baseURL: server.url })),
      maxRetries: 0,
      ...extra,
    }),
  );
  return path;
}

describe('the aicredits bin and answers that break the spec', () => {
  it('an answer without email (unused) gives the balance and a note, in the table and in --json', async () => {
    const path = await config('no-email', [{ label: 'main', server: servers.noEmail }]);
    const [table, json] = await Promise.all([
      runCli(['--config', path], { environment, cwd: directory }),
      runCli(['--config', path, '--json'], { environment, cwd: directory }),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('1,240');
    expect(table.stdout).toContain('the answer lacks $.email');
    expect(json.code, json.stderr).toBe(0);
    const [result] = (
      JSON.parse(json.stdout) as { results: Array<{ ok: boolean; balance: { remaining: number; notes: string[] } }> }
    ).results;
    expect(result?.ok).toBe(true);
    expect(result?.balance.remaining).toBe(1240);
    expect(result?.balance.notes).toEqual([
      'the answer lacks $.email, which the spec requires but the balance does not use',
    ]);
  });

  it('an answer without credits (the balance itself) fails that account only: exit 1', async () => {
    const path = await config('no-credits', [
      { label: 'broken', server: servers.noCredits },
      { label: 'fine', server: servers.noEmail },
    ]);
    const run = await runCli(['--config', path, '--json'], { environment, cwd: directory });
    expect(run.code, run.stderr).toBe(1);
    const { results } = JSON.parse(run.stdout) as {
      results: Array<{ account: string; ok: boolean; error?: { message: string } }>;
    };
    expect(results.map((result) => [result.account, result.ok])).toEqual([
      ['broken', false],
      ['fine', true],
    ]);
    expect(results[0]?.error?.message).toContain('$.credits: required property is missing');
  });

  it('validateResponses: false in the config accepts a body the spec refuses', async () => {
    const accounts = [{ label: 'main', server: servers.wrongType }];
    const [checked, unchecked] = await Promise.all([
      runCli(['--config', await config('checked', accounts)], { environment, cwd: directory }),
      runCli(['--config', await config('unchecked', accounts, { validateResponses: false })], {
        environment,
        cwd: directory,
      }),
    ]);
    expect(checked.code).toBe(1);
    expect(checked.stdout + checked.stderr).toContain('$.email: expected string, got number 42');
    expect(unchecked.code, unchecked.stderr).toBe(0);
    expect(unchecked.stdout).toContain('1,240');
  });
});
