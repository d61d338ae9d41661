// `aicredits serve` on the embedded default: mock servers for every provider in this process, whose
// credits run down every 5 minutes, a config pointed at them with a `watch` section and a history
// in a temporary directory. The last hour's readings are taken first (`watch --once` every 5
// minutes on a simulated clock, in moments), so the dashboard opens on falling balances, burn rates
// and forecasts; then the mocks' credits keep running down in real time while serve polls every
// minute. Prints the dashboard and metrics URLs and serves until Ctrl-C. Extra arguments go to
// `aicredits serve`, e.g. `npm run demo:serve -- --port 0`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startMockServers } from '@aicredits/mock';
import { main } from 'aicredits/cli';

import { demoAccounts, demoDrain, demoKeys } from './demo-accounts.mjs';
import { createDemoClock, watchRounds } from './demo-history.mjs';

const step = 5 * 60_000;
const rounds = 12;
const clock = createDemoClock((rounds - 1) * step);
// Per 5 minutes, in each provider's unit (its demo.json).
const drain = demoDrain('serve', step);
const servers = await startMockServers({ drain, clock: clock.mock });
const directory = await mkdtemp(join(tmpdir(), 'aicredits-demo-serve-'));
const controller = new AbortController();
try {
  const { urls } = servers;
  const config = {
    min: 50,
    accounts: demoAccounts('serve', urls),
    watch: { interval: '1m', jitter: '0s', store: join(directory, 'history.db') },
  };
  const configPath = join(directory, 'aicredits.config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(
    `'aicredits serve' against mock servers (${Object.values(urls).join(', ')}), checking every minute; Ctrl-C stops.`,
  );
  const environment = { ...process.env, ...demoKeys };
  const quiet = { write: () => true };
  const codes = await watchRounds({
    clock,
    rounds,
    everyMs: step,
    configPath,
    environment,
    cwd: directory,
    stdout: quiet,
    stderr: process.stderr,
  });
  if (codes.some((code) => code !== 0 && code !== 1))
    throw new Error(`taking the last hour's readings failed (exit codes ${codes.join(' ')})`);
  console.log(
    `Took ${rounds} readings of each account over the last hour (a simulated clock, every 5 minutes); their credits keep running down.`,
  );
  clock.goLive();
  process.exitCode = await main({
    argv: ['serve', '--config', configPath, ...process.argv.slice(2)],
    environment,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  });
} finally {
  await servers.close();
  await rm(directory, { recursive: true, force: true });
}
