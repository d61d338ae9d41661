// The README's programmatic example, runnable without an account or network: it starts the mock
// servers from @aicredits/mock in this process and points every account at them.
//   npm install && npm run build && node packages/aicredits/examples/readme-example.mjs
// Against the real APIs, drop the mock, `baseURL` and the `Prefer` headers, and take each `apiKey`
// from your own environment variables. For the CLI on the same mocks: `npm run demo`.
import { startMockServers } from '@aicredits/mock';
import { AuthenticationError, createAccounts } from 'aicredits';

const servers = await startMockServers();
try {
  const { urls } = servers;
  // Mock only: `Prefer: example=<name>` picks one of the spec's named examples.
  const example = (name) => ({ Prefer: `example=${name}` });

  const accounts = createAccounts({
    min: 100, // alert threshold for accounts without their own `min`
    accounts: [
      {
        provider: 'crowdcomputed',
        label: 'studio',
        apiKey: 'dummy-cc-studio',
        baseURL: urls.crowdcomputed,
        headers: example('professional'),
      },
      {
        provider: 'crowdcomputed',
        label: 'freelance',
        apiKey: 'dummy-cc-freelance',
        baseURL: urls.crowdcomputed,
        headers: example('failed'),
      },
      { provider: 'pixverse', label: 'team', allAccounts: true, apiKey: 'dummy-useapi', baseURL: urls.pixverse },
      {
        provider: 'pixverse',
        label: 'intern',
        email: 'intern@example.com',
        apiKey: 'dummy-useapi',
        baseURL: urls.pixverse,
        headers: example('lowCredits'),
      },
      {
        provider: 'imaginepro',
        label: 'main',
        apiKey: 'dummy-ip',
        baseURL: urls.imaginepro,
        headers: example('noExtra'),
      },
      {
        provider: 'iqqz',
        label: 'gpt-images',
        unit: 'USD',
        min: 1,
        apiKey: 'dummy-iqqz',
        baseURL: urls.iqqz,
        headers: example('fractional'),
      },
      {
        provider: 'iqqz',
        label: 'unlimited',
        apiKey: 'dummy-iqqz-2',
        baseURL: urls.iqqz,
        headers: example('unlimited'),
      },
    ],
  });

  for (const result of await accounts.balances()) {
    const name = `${result.provider}/${result.account}`;
    if (!result.ok) {
      const hint = AuthenticationError.isInstance(result.error) ? ' (check the key)' : '';
      console.log(`${name}: ${result.error.name}: ${result.error.message}${hint}`);
      continue;
    }
    const { balance } = result;
    const amount = balance.unlimited ? 'unlimited' : `${balance.remaining ?? '?'} ${balance.unit}`;
    const parts = balance.parts.map((part) => `${part.name} ${part.remaining ?? '?'}`).join(', ');
    console.log(
      `${name}: ${amount}${parts ? ` (${parts})` : ''}, ${balance.status}${result.low ? `, LOW (min ${result.min})` : ''}`,
    );
  }
} finally {
  await servers.close();
}
