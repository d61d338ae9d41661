import { type MockProviderId, type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll } from 'vitest';

/**
 * Starts the Prism mock for one provider before the file's tests and closes it after them, even
 * when a test fails. Returns a function giving the mock's base URL. A separate entry point
 * (`@aicredits/test-server/mock`), so that the core's tests do not need the mock package built.
 */
export function useMockServer<Provider extends MockProviderId>(provider: Provider): () => string {
  let servers: MockServers<Provider> | undefined;
  beforeAll(async () => {
    servers = await startMockServers({ providers: [provider] });
  });
  afterAll(async () => {
    await servers?.close();
  });
  return () => {
    if (servers === undefined) throw new Error(`the ${provider} mock server did not start`);
    return servers.urls[provider];
  };
}
