// `aicredits watch` on the embedded default: mock servers for every provider in this process, a
// local HTTP receiver standing in for Slack, and a history database in a temporary directory. One
// round (`watch --once`, as cron would run it), the notification the receiver got, then
// `aicredits history`. Needs no account and no network.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startMockServers } from '@aicredits/mock';
import { main } from 'aicredits/cli';

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

const servers = await startMockServers();
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
  const run = (argv) =>
    main({ argv: [...argv, '--config', configPath], environment, cwd: directory, stdout: process.stdout, stderr: process.stderr });

  console.log('$ aicredits watch --once');
  const code = await run(['watch', '--once']);
  console.log(`(exit code ${code}, as 'aicredits balances' would give: 1 = an account is low, failing or expired, as two are on purpose)\n`);
  console.log(`The local Slack receiver got ${received.length} notification(s):`);
  for (const { path, body } of received) console.log(`POST ${path}\n${JSON.parse(body).text}\n`);
  console.log('$ aicredits history');
  await run(['history']);
  console.log(`\nThe history is ${join(directory, 'history.db')} (removed now); 'aicredits watch' without --once keeps polling every 5m.`);
  if (received.length === 0) process.exitCode = 1;
} finally {
  await servers.close();
  await new Promise((resolve) => receiver.close(resolve));
  await rm(directory, { recursive: true, force: true });
}
