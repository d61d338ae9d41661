// `aicredits serve` on the embedded default: mock servers for every provider in this process, a
// config pointed at them with a `watch` section and a history in a temporary directory. Prints the
// dashboard and metrics URLs and serves until Ctrl-C. Extra arguments go to `aicredits serve`,
// e.g. `npm run demo:serve -- --port 0`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startMockServers } from '@aicredits/mock';
import { main } from 'aicredits/cli';

const servers = await startMockServers();
const directory = await mkdtemp(join(tmpdir(), 'aicredits-demo-serve-'));
const controller = new AbortController();
try {
  const { urls } = servers;
  const example = (name) => ({ Prefer: `example=${name}` });
  const config = {
    min: 50,
    accounts: [
      { provider: 'crowdcomputed', label: 'studio', apiKeyEnv: 'DEMO_CROWDCOMPUTED_KEY', baseURL: urls.crowdcomputed, headers: example('professional') },
      { provider: 'pixverse', label: 'team', apiKeyEnv: 'DEMO_USEAPI_TOKEN', baseURL: urls.pixverse, allAccounts: true },
      { provider: 'imaginepro', label: 'main', apiKeyEnv: 'DEMO_IMAGINEPRO_KEY', baseURL: urls.imaginepro },
      { provider: 'iqqz', label: 'gpt-images', apiKeyEnv: 'DEMO_IQQZ_KEY', baseURL: urls.iqqz, headers: example('fractional'), min: 5 },
      { provider: 'iqqz', label: 'unlimited', apiKeyEnv: 'DEMO_IQQZ_KEY', baseURL: urls.iqqz, headers: example('unlimited') },
    ],
    watch: { interval: '1m', jitter: '0s', store: join(directory, 'history.db') },
  };
  const configPath = join(directory, 'aicredits.config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const demoKeys = {
    DEMO_CROWDCOMPUTED_KEY: 'demo-crowdcomputed-key',
    DEMO_USEAPI_TOKEN: 'demo-useapi-token',
    DEMO_IMAGINEPRO_KEY: 'demo-imaginepro-key',
    DEMO_IQQZ_KEY: 'demo-iqqz-key',
  };
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`'aicredits serve' against mock servers (${Object.values(urls).join(', ')}), checking every minute; Ctrl-C stops.`);
  process.exitCode = await main({
    argv: ['serve', '--config', configPath, ...process.argv.slice(2)],
    environment: { ...process.env, ...demoKeys },
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  });
} finally {
  await servers.close();
  await rm(directory, { recursive: true, force: true });
}
