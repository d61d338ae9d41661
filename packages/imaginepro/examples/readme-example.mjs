// The README's example, runnable without an account or network: it starts the ImaginePro mock
// server from @aicredits/mock in this process and points the client at it.
//   npm install && npm run build && node packages/imaginepro/examples/readme-example.mjs
// Against the real API, drop the mock, the `baseURL` and the `Prefer` headers, and let `apiKey`
// default to the IMAGINEPRO_API_KEY environment variable.
import { AuthenticationError, RateLimitError } from '@aicredits/core';
import { createImaginePro } from '@aicredits/imaginepro';
import { startMockServers } from '@aicredits/mock';

const servers = await startMockServers({ providers: ['imaginepro'] });
try {
  const imaginepro = createImaginePro({
    apiKey: 'dummy-key', // real use: omit, read from IMAGINEPRO_API_KEY
    baseURL: servers.urls.imaginepro,
  });

  // Usage (the mock answers with the documentation's example: 1600 monthly + 1000 extra credits,
  // and an `expiredAt` in 2022, hence `expired`)
  const balance = await imaginepro.getBalance();
  console.log(`${balance.plan}: ${balance.remaining} ${balance.unit} left (${balance.status})`);
  for (const part of balance.parts) {
    console.log(`  ${part.name}: ${part.remaining}${part.limit === undefined ? '' : ` of ${part.limit}`}`);
  }
  console.log(`  expires ${balance.expiresAt?.toISOString()}`);

  // The raw response, unchanged (mock only: the spec's `noExtra` example)
  const info = await imaginepro.getAccountInfo({ headers: { Prefer: 'example=noExtra' } });
  console.log(
    `getAccountInfo: ${info.credits}/${info.creditsQuota} this month, ${info.creditsExtra} extra, ${info.email}`,
  );

  // The typed openapi-fetch client
  const { data, response } = await imaginepro.client.GET('/api/v1/subscription/account-info');
  console.log(`client.GET: HTTP ${response.status}, type ${data?.type}, credits ${data?.credits}`);

  // Errors: `Prefer: code=401` makes the mock answer `{ message: "Unauthorized", statusCode: 401 }`
  try {
    await imaginepro.getBalance({ headers: { Prefer: 'code=401' } });
  } catch (error) {
    if (AuthenticationError.isInstance(error)) {
      console.log(`${error.name}: ${error.message}`);
    } else if (RateLimitError.isInstance(error)) {
      console.log(`rate limited, retry in ${error.retryAfterMs} ms`);
    } else {
      throw error;
    }
  }
} finally {
  await servers.close();
}
