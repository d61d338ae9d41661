// `aicredits watch` on the embedded default: mock servers for every provider in this process, whose
// credits run down by the hour, a local HTTP receiver standing in for Slack, and a history database
// in a temporary directory. Six hours of hourly rounds (`watch --once`, as cron would run them) are
// taken on a simulated clock in moments: the readings go down, an account crosses its threshold and
// the receiver gets the low-credit notification with its forecast; `aicredits history` then shows
// each account's burn rate and when it runs out. Needs no account and no network.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startMockServers } from '@aicredits/mock';
import { main } from 'aicredits/cli';

import { demoAccounts, demoDrain, demoKeys } from './demo-accounts.mjs';
import { createDemoClock, watchRounds } from './demo-history.mjs';

const hour = 3_600_000;
const rounds = 7;

const received = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    received.push({ path: request.url, body });
    response.end('ok');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}`;

const clock = createDemoClock((rounds - 1) * hour);
// Per hour, in each provider's unit (its demo.json): the iqqz token goes low in round 6.
const drain = demoDrain('watch', hour);
const servers = await startMockServers({ drain, clock: clock.mock });
const directory = await mkdtemp(join(tmpdir(), 'aicredits-demo-watch-'));
try {
  const { urls } = servers;
  const config = {
    min: 50,
    accounts: demoAccounts('watch', urls),
    watch: {
      interval: '5m',
      store: join(directory, 'history.db'),
      notify: [{ type: 'slack', name: 'team-slack', urlEnv: 'DEMO_SLACK_WEBHOOK_URL' }],
    },
  };
  const configPath = join(directory, 'aicredits.config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const environment = {
    ...process.env,
    ...demoKeys,
    DEMO_SLACK_WEBHOOK_URL: `${receiverUrl}/services/DEMO/WEBHOOK`,
  };
  console.log(
    `$ aicredits watch --once   # every hour for ${rounds - 1} hours (a simulated clock), as cron would run it`,
  );
  let shown = 0;
  const codes = await watchRounds({
    clock,
    rounds,
    everyMs: hour,
    configPath,
    environment,
    cwd: directory,
    stdout: process.stdout,
    stderr: process.stderr,
    onRound: () => {
      for (const { path, body } of received.slice(shown))
        console.log(
          `  -> the local Slack receiver got POST ${path}:\n     ${JSON.parse(body).text.replace(/\n/g, '\n     ')}`,
        );
      shown = received.length;
    },
  });
  console.log(
    `(exit codes ${codes.join(' ')}: 1 = an account is low, failing or expired, as 'aicredits balances' gives)\n`,
  );
  console.log('$ aicredits history --since 2h');
  await main({
    argv: ['history', '--since', '2h', '--config', configPath],
    environment,
    cwd: directory,
    stdout: process.stdout,
    stderr: process.stderr,
    clock: clock.simulated,
  });
  console.log(
    `\nThe history is ${join(directory, 'history.db')} (removed now); 'aicredits watch' without --once keeps polling every 5m.`,
  );
  if (received.length === 0) process.exitCode = 1;
} finally {
  await servers.close();
  await new Promise((resolve) => receiver.close(resolve));
  await rm(directory, { recursive: true, force: true });
}
