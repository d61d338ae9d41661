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
// Per hour, in each provider's unit: the iqqz token (11.27 USD left, min 5) goes low in round 6.
const drain = {
  crowdcomputed: { amount: 1000, everyMs: hour },
  pixverse: { amount: 2, everyMs: hour },
  imaginepro: { amount: 40, everyMs: hour },
  iqqz: { amount: 1.5, everyMs: hour },
};
const servers = await startMockServers({ drain, clock: clock.mock });
const directory = await mkdtemp(join(tmpdir(), 'aicredits-demo-watch-'));
try {
  const { urls } = servers;
  const example = (name) => ({ Prefer: `example=${name}` });
  const config = {
    min: 50,
    accounts: [
      { provider: 'crowdcomputed', label: 'studio', apiKeyEnv: 'DEMO_CROWDCOMPUTED_KEY', baseURL: urls.crowdcomputed, headers: example('professional') },
      { provider: 'pixverse', label: 'intern', email: 'intern@example.com', apiKeyEnv: 'DEMO_USEAPI_TOKEN', baseURL: urls.pixverse, headers: example('lowCredits') },
      { provider: 'imaginepro', label: 'main', apiKeyEnv: 'DEMO_IMAGINEPRO_KEY', baseURL: urls.imaginepro },
      { provider: 'iqqz', label: 'gpt-images', apiKeyEnv: 'DEMO_IQQZ_KEY', baseURL: urls.iqqz, headers: example('fractional'), min: 5 },
    ],
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
    DEMO_CROWDCOMPUTED_KEY: 'demo-cc-5f2c9a71e0b4',
    DEMO_USEAPI_TOKEN: 'demo-ua-8d13b6f0c2e7',
    DEMO_IMAGINEPRO_KEY: 'demo-ip-0a9e4c7d21f3',
    DEMO_IQQZ_KEY: 'demo-iq-6b2f8e05d9a4',
    DEMO_SLACK_WEBHOOK_URL: `${receiverUrl}/services/DEMO/WEBHOOK`,
  };
  console.log(`$ aicredits watch --once   # every hour for ${rounds - 1} hours (a simulated clock), as cron would run it`);
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
      for (const { path, body } of received.slice(shown)) console.log(`  -> the local Slack receiver got POST ${path}:\n     ${JSON.parse(body).text.replace(/\n/g, '\n     ')}`);
      shown = received.length;
    },
  });
  console.log(`(exit codes ${codes.join(' ')}: 1 = an account is low, failing or expired, as 'aicredits balances' gives)\n`);
  console.log('$ aicredits history --since 2h');
  await main({
    argv: ['history', '--since', '2h', '--config', configPath],
    environment,
    cwd: directory,
    stdout: process.stdout,
    stderr: process.stderr,
    clock: clock.simulated,
  });
  console.log(`\nThe history is ${join(directory, 'history.db')} (removed now); 'aicredits watch' without --once keeps polling every 5m.`);
  if (received.length === 0) process.exitCode = 1;
} finally {
  await servers.close();
  await new Promise((resolve) => receiver.close(resolve));
  await rm(directory, { recursive: true, force: true });
}
