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

// Current dates: renewals ahead of today, and only the example that means it (`old`) expired.
const servers = await startMockServers({ dates: 'current' });
const directory = await mkdtemp(join(tmpdir(), 'aicredits-demo-'));
try {
  const { urls } = servers;
  // `Prefer: example=<name>` makes Prism answer one of the spec's named examples.
  const example = (name) => ({ Prefer: `example=${name}` });
  const config = {
    min: 50,
    accounts: [
      {
        provider: 'crowdcomputed',
        label: 'studio',
        apiKeyEnv: 'DEMO_CROWDCOMPUTED_KEY',
        baseURL: urls.crowdcomputed,
        headers: example('professional'),
      },
      {
        provider: 'crowdcomputed',
        label: 'lapsed',
        apiKeyEnv: 'DEMO_CROWDCOMPUTED_KEY',
        baseURL: urls.crowdcomputed,
        headers: example('unsubscribed'),
      },
      {
        provider: 'crowdcomputed',
        label: 'revoked-key',
        apiKeyEnv: 'DEMO_CROWDCOMPUTED_KEY',
        baseURL: urls.crowdcomputed,
        headers: example('failed'),
      },
      {
        provider: 'pixverse',
        label: 'team',
        apiKeyEnv: 'DEMO_USEAPI_TOKEN',
        baseURL: urls.pixverse,
        allAccounts: true,
      },
      {
        provider: 'pixverse',
        label: 'intern',
        email: 'intern@example.com',
        apiKeyEnv: 'DEMO_USEAPI_TOKEN',
        baseURL: urls.pixverse,
        headers: example('lowCredits'),
      },
      { provider: 'imaginepro', label: 'main', apiKeyEnv: 'DEMO_IMAGINEPRO_KEY', baseURL: urls.imaginepro },
      {
        provider: 'imaginepro',
        label: 'side-project',
        apiKeyEnv: 'DEMO_IMAGINEPRO_KEY',
        baseURL: urls.imaginepro,
        headers: example('noExtra'),
      },
      {
        provider: 'imaginepro',
        label: 'old',
        apiKeyEnv: 'DEMO_IMAGINEPRO_KEY',
        baseURL: urls.imaginepro,
        headers: example('expired'),
        min: 0,
      },
      {
        provider: 'iqqz',
        label: 'gpt-images',
        apiKeyEnv: 'DEMO_IQQZ_KEY',
        baseURL: urls.iqqz,
        headers: example('fractional'),
        min: 5,
      },
      {
        provider: 'iqqz',
        label: 'unlimited',
        apiKeyEnv: 'DEMO_IQQZ_KEY',
        baseURL: urls.iqqz,
        headers: example('unlimited'),
      },
      { provider: 'iqqz', label: 'cny-gateway', apiKeyEnv: 'DEMO_IQQZ_KEY', baseURL: urls.iqqz, unit: 'CNY', min: 1 },
    ],
  };
  const configPath = join(directory, 'aicredits.config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const demoKeys = {
    DEMO_CROWDCOMPUTED_KEY: 'demo-crowdcomputed-key',
    DEMO_USEAPI_TOKEN: 'demo-useapi-token',
    DEMO_IMAGINEPRO_KEY: 'demo-imaginepro-key',
    DEMO_IQQZ_KEY: 'demo-iqqz-key',
  };
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
