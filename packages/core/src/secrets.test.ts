import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  ApiCallError,
  AuthenticationError,
  type DebugLogEntry,
  InvalidResponseError,
  redactSecrets,
  ServerError,
} from './index.js';
import { createApiClient } from './provider-utils.js';
import {
  apiKeyEnvironmentVariable,
  createTestClient,
  expectNoSecret,
  type paths,
  rejectionOf,
  secret,
  testProvider,
  transportSettings,
  validateBalance,
} from './testing/test-provider.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
});

describe('an API key echoed by the server', () => {
  it('is redacted from rawBody, body and message of an error status', async () => {
    server.respondWith({ status: 401, body: { error: `invalid token ${secret}` } });
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance());

    expect(error).toBeInstanceOf(AuthenticationError);
    const authError = error as AuthenticationError;
    expect(authError.rawBody).toBe('{"error":"invalid token [REDACTED]"}');
    expect(authError.body).toEqual({ error: 'invalid token [REDACTED]' });
    expect(authError.providerMessage).toBe('invalid token [REDACTED]');
    expect(authError.message).toContain('[REDACTED]');
    expectNoSecret(error);
  });

  it('is redacted from an envelope under 200', async () => {
    server.respondWith({ body: { error: { message: `令牌 ${secret} 无效`, type: 'invalid_request_error' } } });
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain('令牌 [REDACTED] 无效');
    expectNoSecret(error);
  });

  it('is redacted from a body that is not JSON (the parser quotes the body in its message)', async () => {
    server.respondWith({ body: `{"error": "bad key ${secret}` });
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).rawBody).toBe('{"error": "bad key [REDACTED]');
    expectNoSecret(error);
  });

  it('is redacted from an HTML error page and from a body that fails validation', async () => {
    server.respondWith({
      status: 500,
      headers: { 'content-type': 'text/html' },
      body: `<pre>Authorization: Bearer ${secret}</pre>`,
    });
    const first = createTestClient(server, { maxRetries: 0 });
    const serverError = await rejectionOf(first.getBalance());
    expect(serverError).toBeInstanceOf(ServerError);
    expect((serverError as ServerError).rawBody).toBe('<pre>Authorization: Bearer [REDACTED]</pre>');
    expectNoSecret(serverError);

    server.respondWith({ body: { balance: secret } });
    const invalid = await rejectionOf(first.getBalance());
    expect(invalid).toBeInstanceOf(InvalidResponseError);
    expect((invalid as InvalidResponseError).reason).toContain('got string "[REDACTED]"');
    expectNoSecret(invalid);
  });

  it('is redacted when the key came from the environment variable', async () => {
    const previous = process.env[apiKeyEnvironmentVariable];
    process.env[apiKeyEnvironmentVariable] = secret;
    try {
      server.respondWith({ status: 403, body: { error: `key ${secret} may not do this` } });
      const { getBalance } = createTestClient(server, { apiKey: undefined });
      const error = await rejectionOf(getBalance());
      expect(error).toBeInstanceOf(ApiCallError);
      expect((error as ApiCallError).rawBody).toContain('[REDACTED]');
      expectNoSecret(error);
    } finally {
      if (previous === undefined) delete process.env[apiKeyEnvironmentVariable];
      else process.env[apiKeyEnvironmentVariable] = previous;
    }
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence and ignores absent or very short secrets', () => {
    expect(redactSecrets(`${secret}/${secret}`, [secret])).toBe('[REDACTED]/[REDACTED]');
    expect(redactSecrets('a b c', [undefined, '', 'b'])).toBe('a b c');
  });
});

describe('the debug log', () => {
  it('has an entry per attempt, with the key redacted', async () => {
    server.respondWith({ status: 503, body: { error: 'busy' } }, { body: { balance: 1 } });
    const entries: DebugLogEntry[] = [];
    const { getBalance } = createTestClient(server, {
      debug: (entry) => entries.push(entry),
      headers: { 'x-echo-key': `key=${secret}` },
    });
    await getBalance();

    expect(entries).toHaveLength(2);
    const [first, second] = entries;
    expect(first).toMatchObject({
      provider: 'testprovider',
      operation: 'getBalance',
      method: 'GET',
      url: `${server.url}/v1/balance`,
      status: 503,
      attempt: 1,
      retryInMs: 500,
    });
    expect(first?.durationMs).toBeTypeOf('number');
    expect(first?.durationMs).toBeGreaterThanOrEqual(0);
    expect(first?.headers['authorization']).toBe('[REDACTED]');
    // Any other header carrying the key has the key cut out of it.
    expect(first?.headers['x-echo-key']).toBe('key=[REDACTED]');
    expect(second).toMatchObject({ status: 200, attempt: 2, retryInMs: undefined });
    expect(JSON.stringify(entries)).not.toContain(secret);
  });

  it("hides the provider's own key header whole, whatever it is named", async () => {
    server.respondWith({ body: { balance: 1 } });
    const entries: DebugLogEntry[] = [];
    const api = createApiClient<paths>(
      { ...testProvider, authenticate: (apiKey) => ({ Token: `v1:${apiKey}` }) },
      { apiKey: secret, baseURL: server.url, ...transportSettings, debug: (entry) => entries.push(entry) },
    );
    await api.call({
      name: 'getBalance',
      send: (init) => api.client.GET('/v1/balance', init),
      validator: validateBalance,
    });
    expect(entries[0]?.headers['token']).toBe('[REDACTED]');
    expect(server.requests[0]?.headers['token']).toBe(`v1:${secret}`);
  });

  it('logs connection failures with their error', async () => {
    server.respondWith({ destroy: true });
    const entries: DebugLogEntry[] = [];
    const { getBalance } = createTestClient(server, { debug: (entry) => entries.push(entry), maxRetries: 1 });
    await rejectionOf(getBalance());
    expect(entries.map((entry) => [entry.attempt, entry.status, entry.retryInMs])).toEqual([
      [1, undefined, 500],
      [2, undefined, undefined],
    ]);
    expect(entries[0]?.error).toContain('could not reach');
    expect(JSON.stringify(entries)).not.toContain(secret);
  });

  it('prints to stderr with debug: true, never the key', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    server.respondWith(
      { status: 429, headers: { 'retry-after': '1' }, body: { error: `slow down ${secret}` } },
      { body: { balance: 1 } },
    );
    const { getBalance } = createTestClient(server, { debug: true });
    await getBalance();

    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('[aicredits] testprovider getBalance GET');
    expect(lines[0]).toContain('-> HTTP 429');
    expect(lines[0]).toContain('attempt 1');
    expect(lines[0]).toContain('retrying in 1000 ms');
    expect(lines[0]).toContain('"authorization":"[REDACTED]"');
    expect(lines[1]).toContain('-> HTTP 200');
    expect(lines[1]).toContain('attempt 2');
    for (const line of lines) expect(line).not.toContain(secret);
  });

  it('prints when AICREDITS_DEBUG is set and stays quiet with debug: false', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    const previous = process.env['AICREDITS_DEBUG'];
    process.env['AICREDITS_DEBUG'] = '1';
    try {
      server.respondWith({ body: { balance: 1 } });
      await createTestClient(server).getBalance();
      expect(lines).toHaveLength(1);
      await createTestClient(server, { debug: false }).getBalance();
      expect(lines).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env['AICREDITS_DEBUG'];
      else process.env['AICREDITS_DEBUG'] = previous;
    }
    for (const line of lines) expect(line).not.toContain(secret);
  });
});

describe('redirects', () => {
  let elsewhere: TestServer;
  beforeEach(async () => {
    elsewhere = await startTestServer();
    elsewhere.respondWith({ body: { balance: 1 } });
  });
  afterEach(async () => {
    await elsewhere.close();
  });

  const balanceVia = (authenticate: (apiKey: string) => Record<string, string>) => {
    const api = createApiClient<paths>(
      { ...testProvider, authenticate },
      { apiKey: secret, baseURL: server.url, ...transportSettings },
    );
    return api.call({
      name: 'getBalance',
      send: (init) => api.client.GET('/v1/balance', init),
      validator: validateBalance,
    });
  };

  it('are followed within the origin, with the key', async () => {
    server.respondWith({ status: 301, headers: { location: '/v2/balance' } }, { body: { balance: 5 } });
    await expect(balanceVia((apiKey) => ({ Authorization: `Bearer ${apiKey}` }))).resolves.toEqual({ balance: 5 });
    expect(server.requests.map((request) => [request.url, request.headers['authorization']])).toEqual([
      ['/v1/balance', `Bearer ${secret}`],
      ['/v2/balance', `Bearer ${secret}`],
    ]);
  });

  it.each([
    ['token', (apiKey: string) => ({ token: apiKey })],
    ['Authorization', (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` })],
  ])('to another origin are refused, so that the %s header stays home', async (_name, authenticate) => {
    server.respondWith({ status: 302, headers: { location: `${elsewhere.url}/collect` } });
    const error = await balanceVia(authenticate).catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).status).toBe(302);
    expect((error as ApiCallError).message).toContain(`${elsewhere.url}/collect`);
    expect((error as ApiCallError).message).toContain('not followed');
    expect(elsewhere.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it('stop after five hops within the origin', async () => {
    server.respondWith({ status: 302, headers: { location: '/again' } });
    const error = await balanceVia((apiKey) => ({ Authorization: `Bearer ${apiKey}` })).catch(
      (caught: unknown) => caught,
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(6);
  });
});
