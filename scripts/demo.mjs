// The main job on the embedded default: mock servers for every provider in this process, a config
// with several accounts per provider pointed at them, and `aicredits balances` printing the table.
// Needs no account and no network. Extra arguments go to the CLI, e.g. `npm run demo -- --json`.
// stdout holds only what the CLI prints (the table or the JSON document), so it can be piped; this
// script's own words go to stderr, and it exits with the CLI's exit code.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startMockServers } from '@aicredits/mock';
import { main } from 'aicredits/cli';

import { demoAccounts, demoKeys } from './demo-accounts.mjs';

// Current dates: renewals ahead of today, and only the example that means it (`old`) expired.
const servers = await startMockServers({ dates: 'current' });
const directory = await mkdtemp(join(tmpdir(), 'aicredits-demo-'));
try {
  const { urls } = servers;
  // Each provider's accounts come from its package's demo.json (scripts/demo-accounts.mjs).
  const config = { min: 50, accounts: demoAccounts('balances', urls) };
  const configPath = join(directory, 'aicredits.config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const code = await main({
    argv: ['balances', '--config', configPath, ...process.argv.slice(2)],
    environment: { ...process.env, ...demoKeys },
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
  process.exitCode = code;
  console.error(
    `\nThat was 'aicredits balances' against mock servers (${Object.values(urls).join(', ')}); exit code ${code}` +
      ' (1 = some account failed or is below its threshold, as some of these are on purpose).',
  );
} finally {
  await servers.close();
  await rm(directory, { recursive: true, force: true });
}
