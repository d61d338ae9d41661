// `watch --once --account` matches labels by each provider module's own rule, as `balances` does:
// a PixVerse account without a label is matched by its email, and an allAccounts entry (whose
// labels are known only once it answers) is kept whole.
import { writeFile } from 'node:fs/promises';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { main } from 'aicredits/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { useTemporaryDirectory } from './testing/temporary-directory.js';

const directories = useTemporaryDirectory();
let servers: MockServers<'pixverse' | 'imaginepro'>;
beforeAll(async () => {
  servers = await startMockServers({ providers: ['pixverse', 'imaginepro'] });
});
afterAll(async () => {
  await servers?.close();
});

async function watchOnce(account: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const directory = await directories.create();
  const configPath = directory.join('aicredits.config.json');
  const key = { apiKeyEnv: 'TEST_KEY' };
  await writeFile(
    configPath,
    JSON.stringify({
      accounts: [
        { provider: 'pixverse', email: 'intern@example.com', ...key, baseURL: servers.urls.pixverse },
        { provider: 'pixverse', label: 'team', allAccounts: true, ...key, baseURL: servers.urls.pixverse },
        { provider: 'imaginepro', label: 'main', ...key, baseURL: servers.urls.imaginepro },
      ],
      maxRetries: 0,
      watch: { store: 'history.db' },
    }),
  );
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv: ['watch', '--once', '--config', configPath, '--account', account],
    environment: { TEST_KEY: 'test-key-0123456789' },
    cwd: directory.path,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

describe('watch --once --account', () => {
  it("matches an unlabelled PixVerse account by its email and keeps the allAccounts entry's accounts", async () => {
    const run = await watchOnce('intern@example.com');
    const shown = [...run.stdout.matchAll(/^\S+Z {2}(\S+)/gm)].map((match) => match[1]);
    expect(shown, run.stdout + run.stderr).toEqual(
      expect.arrayContaining(['pixverse/intern@example.com', 'pixverse/team/alice@example.com']),
    );
    expect(shown).not.toContain('imaginepro/main');
  });

  it('matches another provider by its label only', async () => {
    const run = await watchOnce('main');
    const shown = [...run.stdout.matchAll(/^\S+Z {2}(\S+)/gm)].map((match) => match[1]);
    expect(shown, run.stdout + run.stderr).toContain('imaginepro/main');
    expect(shown).not.toContain('pixverse/intern@example.com');
  });
});
