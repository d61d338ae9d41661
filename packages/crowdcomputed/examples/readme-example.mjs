// The README's example, runnable without an account or network: it starts the CrowdComputed mock
// server from @aicredits/mock in this process and points the client at it.
//   npm install && npm run build && node packages/crowdcomputed/examples/readme-example.mjs
// Against the real API, drop the mock, the `baseURL` and the `Prefer` headers, and let `apiKey`
// default to the CROWDCOMPUTED_API_KEY environment variable.
import { AuthenticationError, RateLimitError } from '@aicredits/core';
import { createCrowdComputed } from '@aicredits/crowdcomputed';
import { startMockServers } from '@aicredits/mock';

const servers = await startMockServers({ providers: ['crowdcomputed'] });
try {
  const crowdcomputed = createCrowdComputed({
    apiKey: 'dummy-key', // real use: omit, read from CROWDCOMPUTED_API_KEY
    baseURL: servers.urls.crowdcomputed,
    // Mock only: answer with the spec's `professional` example instead of the all-zero default.
    headers: { Prefer: 'example=professional' },
  });

  // Usage
  const balance = await crowdcomputed.getBalance();
  console.log(`${balance.plan}: ${balance.remaining} of ${balance.limit} ${balance.unit} left (${balance.status})`);
  for (const part of balance.parts) {
    console.log(`  ${part.name}: ${part.remaining}${part.resetsAt ? `, resets ${part.resetsAt.toISOString()}` : ''}`);
  }
  console.log(`  renews ${balance.renewsAt?.toISOString()}`);

  // The raw response, unchanged
  const info = await crowdcomputed.getMemberInfo();
  console.log(`getMemberInfo: ${info.memberType}/${info.periodType}, next payment ${info.nextPayAmount} CNY`);

  // The typed openapi-fetch client
  const { data, response } = await crowdcomputed.client.GET('/api/v1/member/info');
  console.log(`client.GET: HTTP ${response.status}, code ${data?.code}, totalPoints ${data?.data?.totalPoints}`);

  // Errors: the mock's `failed` example is `{ code: "Failed", message: "unauthorized" }` under HTTP 200
  try {
    await crowdcomputed.getBalance({ headers: { Prefer: 'example=failed' } });
  } catch (error) {
    if (AuthenticationError.isInstance(error)) {
      console.log(`${error.name}: ${error.message} (HTTP ${error.status}, retryable: ${error.isRetryable})`);
    } else if (RateLimitError.isInstance(error)) {
      console.log(`rate limited, retry in ${error.retryAfterMs} ms`);
    } else {
      throw error;
    }
  }
} finally {
  await servers.close();
}
