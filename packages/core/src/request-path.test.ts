import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { apiKeyEnvironmentVariable, createTestClient, secret } from './testing/test-provider.js';

// `call()` has openapi-fetch build a light request instead of a `Request`, sets the auth headers in
// the transport rather than in a middleware, and keeps what it works out from the key while the key
// stays the same. These cases pin the behaviour those shortcuts must not change.
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  server.respondWith({ body: { balance: 42 } });
});
afterEach(async () => {
  delete process.env[apiKeyEnvironmentVariable];
  await server.close();
});

describe('the request call() sends', () => {
  it("a user's middleware gets a real Request, and what it adds is sent along with the key", async () => {
    const { api, getBalance } = createTestClient(server);
    const seen: unknown[] = [];
    api.client.use({
      onRequest({ request }) {
        seen.push(request);
        request.headers.set('x-trace', 'from-middleware');
        return request;
      },
    });
    await expect(getBalance({ headers: { 'x-call': 'from-call' } })).resolves.toEqual({ balance: 42 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Request);
    const headers = server.requests[0]?.headers;
    expect(headers?.['authorization']).toBe(`Bearer ${secret}`);
    expect(headers?.['x-trace']).toBe('from-middleware');
    expect(headers?.['x-call']).toBe('from-call');
  });

  it('carries per-call headers and the key without any middleware', async () => {
    const { getBalance } = createTestClient(server);
    await getBalance({ headers: { 'x-call': 'from-call' } });
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.url).toBe('/v1/balance');
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${secret}`);
    expect(server.requests[0]?.headers['x-call']).toBe('from-call');
  });

  it('reads the key from the environment at each call: a changed key is sent, and redacted, at once', async () => {
    const { getBalance } = createTestClient(server, { apiKey: undefined });
    process.env[apiKeyEnvironmentVariable] = 'sk-first-key-000000000001';
    await getBalance();
    process.env[apiKeyEnvironmentVariable] = 'sk-second-key-00000000002';
    server.respondWith({ status: 401, body: { error: 'bad key sk-second-key-00000000002' } });
    const error = await getBalance().catch((caught: unknown) => caught);
    expect(server.requests.map((request) => request.headers['authorization'])).toEqual([
      'Bearer sk-first-key-000000000001',
      'Bearer sk-second-key-00000000002',
    ]);
    expect(String((error as Error).message)).not.toContain('sk-second-key');
    expect(JSON.stringify(error)).not.toContain('sk-second-key');
  });

  it('the raw client is authenticated by the transport too', async () => {
    const { api } = createTestClient(server);
    const { data } = await api.client.GET('/v1/balance');
    expect(data).toEqual({ balance: 42 });
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${secret}`);
  });
});
