// The README's example, runnable without an account or network: it starts the iqqz mock server
// from @aicredits/mock in this process and points the client at it.
//   npm install && npm run build && node packages/iqqz/examples/readme-example.mjs
// Against the real API, drop the mock, the `baseURL` and the `Prefer` headers, and let `apiKey`
// default to the IQQZ_API_KEY environment variable.
import { AuthenticationError, RateLimitError } from '@aicredits/core';
import { createIqqz } from '@aicredits/iqqz';
import { startMockServers } from '@aicredits/mock';

const servers = await startMockServers({ providers: ['iqqz'] });
try {
  const iqqz = createIqqz({
    apiKey: 'dummy-token', // real use: omit, read from IQQZ_API_KEY
    baseURL: servers.urls.iqqz,
  });

  // Usage: limit 5, lifetime usage 250 cents, so 2.5 left
  const balance = await iqqz.getBalance({ unit: 'CNY' });
  console.log(
    `${balance.remaining} of ${balance.limit} ${balance.unit} left, ${balance.used} used (${balance.status})`,
  );

  // An unlimited token (100000000 in the limit fields); mock only: the spec's `unlimited` example
  const unlimited = await iqqz.getBalance({ headers: { Prefer: 'example=unlimited' } });
  console.log(
    `unlimited: ${unlimited.unlimited}, remaining ${unlimited.remaining}, limit ${unlimited.limit}, used ${unlimited.used} ${unlimited.unit}`,
  );

  // The raw responses, unchanged
  const subscription = await iqqz.getSubscription();
  const usage = await iqqz.getUsage({ startDate: '2025-01-01', endDate: '2025-01-31' });
  console.log(
    `getSubscription: hard_limit_usd ${subscription.hard_limit_usd}, access_until ${subscription.access_until}`,
  );
  console.log(`getUsage: total_usage ${usage.total_usage} (hundredths)`);

  // The typed openapi-fetch client
  const { data, response } = await iqqz.client.GET('/v1/dashboard/billing/subscription');
  console.log(`client.GET: HTTP ${response.status}, ${JSON.stringify(data)}`);

  // Errors: the mock's `gatewayError` example is `{ error: { message: "无效的令牌" } }` under HTTP 200
  try {
    await iqqz.getBalance({ headers: { Prefer: 'example=gatewayError' } });
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
