// The README's example, runnable without an account or network: it starts the PixVerse (useapi.net)
// mock server from @aicredits/mock in this process and points the client at it.
//   npm install && npm run build && node packages/pixverse/examples/readme-example.mjs
// Against the real API, drop the mock, the `baseURL` and the `Prefer` headers, and let `apiKey`
// default to the USEAPI_API_TOKEN environment variable.
import { AuthenticationError, InsufficientCreditsError, PermissionDeniedError, RateLimitError } from '@aicredits/core';
import { startMockServers } from '@aicredits/mock';
import { createPixVerse } from '@aicredits/pixverse';

const servers = await startMockServers({ providers: ['pixverse'] });
try {
  const pixverse = createPixVerse({
    apiKey: 'dummy-token', // real use: omit, read from USEAPI_API_TOKEN
    baseURL: servers.urls.pixverse,
  });

  // Usage: every PixVerse account configured in useapi.net, then each one's credits
  const accounts = await pixverse.listAccounts();
  for (const { email, maxJobs, sessionExpiresAt } of accounts) {
    console.log(`${email}: maxJobs ${maxJobs}, session expires ${sessionExpiresAt?.toISOString()}`);
  }
  const balance = await pixverse.getBalance(
    { email: accounts[0].email },
    // Mock only: answer with the spec's `lowCredits` example.
    { headers: { Prefer: 'example=lowCredits' } },
  );
  console.log(`${balance.account} ${balance.plan}: ${balance.remaining} ${balance.unit} left (${balance.status})`);
  for (const part of balance.parts) console.log(`  ${part.name}: ${part.remaining}`);
  console.log(`  renews ${balance.renewsAt?.toISOString()}, expires ${balance.expiresAt?.toISOString()}`);

  // The raw response, unchanged
  const features = await pixverse.getFeatures({ email: accounts[0].email });
  console.log(
    `getFeatures: ${features.plan_name}, credit_monthly ${features.credit_monthly}, credit_monthly_gift ${features.credit_monthly_gift}`,
  );

  // The typed openapi-fetch client (note the trailing slash: it is part of the path)
  const { data, response } = await pixverse.client.GET('/v2/pixverse/features/', {
    params: { query: { email: accounts[0].email } },
  });
  console.log(`client.GET: HTTP ${response.status}, credit_daily ${data?.credit_daily}`);

  // Errors: `Prefer: code=<status>` makes the mock answer with that status. 596 keeps the default
  // maxRetries (2) to show it is not retried; 429 is retried after Retry-After (10 s here), so
  // this demo turns retries off for it.
  for (const status of [402, 412, 596, 429]) {
    try {
      await pixverse.getBalance(
        {},
        { headers: { Prefer: `code=${status}` }, maxRetries: status === 429 ? 0 : undefined },
      );
    } catch (error) {
      if (RateLimitError.isInstance(error)) {
        console.log(`${status} -> ${error.name}: retry in ${error.retryAfterMs} ms`);
      } else if (AuthenticationError.isInstance(error)) {
        console.log(`${status} -> ${error.name}: ${error.providerMessage} (attempts: ${error.attempts})`);
      } else if (PermissionDeniedError.isInstance(error) || InsufficientCreditsError.isInstance(error)) {
        console.log(`${status} -> ${error.name}: ${error.providerMessage}`);
      } else {
        throw error;
      }
    }
  }
} finally {
  await servers.close();
}
