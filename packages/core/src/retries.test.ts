import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  ApiCallError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from './index.js';
import { createTestClient, expectNoSecret, rejectionOf, secret } from './testing/test-provider.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const ok = { body: { balance: 42, currency: 'USD' } };

describe('a successful call', () => {
  it('returns the validated body and sends the auth and user headers', async () => {
    server.respondWith(ok);
    const { getBalance, waits } = createTestClient(server, { headers: { 'x-client': 'aicredits-tests' } });

    await expect(getBalance({ headers: { 'x-per-call': 'yes' } })).resolves.toEqual({ balance: 42, currency: 'USD' });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/v1/balance');
    expect(request?.headers['authorization']).toBe(`Bearer ${secret}`);
    expect(request?.headers['x-client']).toBe('aicredits-tests');
    expect(request?.headers['x-per-call']).toBe('yes');
    expect(waits).toEqual([]);
  });

  it('keeps a path prefix of the baseURL and drops its trailing slash', async () => {
    server.respondWith(ok);
    const { getBalance } = createTestClient(server, { baseURL: `${server.url}/gateway/` });
    await getBalance();
    expect(server.requests[0]?.url).toBe('/gateway/v1/balance');
  });
});

describe('Retry-After', () => {
  it('waits the seconds a 429 asks for, then succeeds', async () => {
    server.respondWith({ status: 429, headers: { 'retry-after': '2' }, body: { error: 'slow down' } }, ok);
    const { getBalance, waits } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual(ok.body);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('understands an HTTP date', async () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z');
    server.respondWith({ status: 429, headers: { 'retry-after': new Date(now + 3000).toUTCString() } }, ok);
    const { getBalance, waits } = createTestClient(server, {}, { now: () => now });
    await expect(getBalance()).resolves.toEqual(ok.body);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([3000]);
  });

  it('prefers retry-after-ms', async () => {
    server.respondWith({ status: 429, headers: { 'retry-after-ms': '150', 'retry-after': '9' } }, ok);
    const { getBalance, waits } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual(ok.body);
    expect(waits).toEqual([150]);
  });

  it('is also honoured on a 503', async () => {
    server.respondWith({ status: 503, headers: { 'retry-after': '1' } }, ok);
    const { getBalance, waits } = createTestClient(server);
    await getBalance();
    expect(waits).toEqual([1000]);
  });

  it('falls back to backoff when Retry-After is unusable', async () => {
    server.respondWith(
      { status: 503, headers: { 'retry-after': '-1' } },
      { status: 503, headers: { 'retry-after': 'soon' } },
      ok,
    );
    const { getBalance, waits } = createTestClient(server);
    await getBalance();
    expect(waits).toEqual([500, 1000]);
  });

  it('gives up at once when the server asks for more than 60 s', async () => {
    server.respondWith({ status: 429, headers: { 'retry-after': '3600' }, body: { error: 'quota exhausted' } }, ok);
    const { getBalance, waits } = createTestClient(server);
    const error = await rejectionOf(getBalance());

    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.retryAfterMs).toBe(3_600_000);
    expect(rateLimit.attempts).toBe(1);
    expect(rateLimit.isRetryable).toBe(true);
    expect(rateLimit.message).toContain('quota exhausted');
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('reports a 429 that keeps coming as RateLimitError with the last Retry-After', async () => {
    server.respondWith({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } });
    const { getBalance, waits } = createTestClient(server);
    const error = await rejectionOf(getBalance());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).attempts).toBe(3);
    expect((error as RateLimitError).retryAfterMs).toBe(1000);
    expect(waits).toEqual([1000, 1000]);
    expect(server.requests).toHaveLength(3);
  });
});

describe('exponential backoff', () => {
  it('retries 503 three times with growing waits, then succeeds', async () => {
    const busy = { status: 503, body: { error: 'busy' } };
    server.respondWith(busy, busy, busy, ok);
    const { getBalance, waits } = createTestClient(server, { maxRetries: 3 });
    await expect(getBalance()).resolves.toEqual(ok.body);
    expect(server.requests).toHaveLength(4);
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('throws ServerError after the default two retries', async () => {
    server.respondWith({ status: 503, body: { error: 'busy' }, headers: { 'x-request-id': 'req-503' } });
    const { getBalance, waits } = createTestClient(server);
    const error = await rejectionOf(getBalance());

    expect(ServerError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toBeInstanceOf(ApiCallError);
    const serverError = error as ServerError;
    expect(serverError.status).toBe(503);
    expect(serverError.attempts).toBe(3);
    expect(serverError.isRetryable).toBe(true);
    expect(serverError.providerMessage).toBe('busy');
    expect(serverError.message).toContain('busy');
    expect(serverError.requestId).toBe('req-503');
    expect(serverError.rawBody).toBe('{"error":"busy"}');
    expect(serverError.body).toEqual({ error: 'busy' });
    expect(serverError.url).toBe(`${server.url}/v1/balance`);
    expect(serverError.operation).toBe('getBalance');
    expect(serverError.provider).toBe('testprovider');
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('does not retry with maxRetries: 0', async () => {
    server.respondWith({ status: 503 }, ok);
    const { getBalance, waits } = createTestClient(server, { maxRetries: 0 });
    const error = await rejectionOf(getBalance());
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('lets a call override maxRetries both ways', async () => {
    server.respondWith({ status: 503 });
    const never = createTestClient(server, { maxRetries: 0 });
    expect(await rejectionOf(never.getBalance({ maxRetries: 1 }))).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(2);

    const often = createTestClient(server, { maxRetries: 5 });
    const error = await rejectionOf(often.getBalance({ maxRetries: 0 }));
    expect((error as ServerError).attempts).toBe(1);
    expect(server.requests).toHaveLength(3);
  });
});

describe('which statuses are retried', () => {
  it.each([408, 409])('retries %i', async (status) => {
    server.respondWith({ status, body: { error: 'try again' } }, ok);
    const { getBalance, waits } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual(ok.body);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it('reports a 409 that persists as a plain ApiCallError', async () => {
    server.respondWith({ status: 409, body: { error: 'conflict' } });
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance());
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(ServerError.isInstance(error)).toBe(false);
    expect((error as ApiCallError).status).toBe(409);
    expect((error as ApiCallError).attempts).toBe(3);
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [422, BadRequestError],
  ] as const)('never retries %i and maps it to %o', async (status, errorClass) => {
    server.respondWith({ status, body: { error: `provider says ${status}` } }, ok);
    const { getBalance, waits } = createTestClient(server);
    const error = await rejectionOf(getBalance());

    expect(errorClass.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(errorClass);
    const apiError = error as ApiCallError;
    expect(apiError.name).toBe(errorClass.name);
    expect(apiError.status).toBe(status);
    expect(apiError.attempts).toBe(1);
    expect(apiError.isRetryable).toBe(false);
    expect(apiError.message).toContain(`provider says ${status}`);
    expect(apiError.message).toContain(`HTTP ${status}`);
    expect(apiError.rawBody).toBe(JSON.stringify({ error: `provider says ${status}` }));
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});

describe('connection failures', () => {
  it('retries a connection reset mid-body', async () => {
    server.respondWith({ body: '{"balance": 12345}', cutAfterBytes: 5 }, ok);
    const { getBalance, waits } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual(ok.body);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it('throws ConnectionError when every attempt is cut', async () => {
    server.respondWith({ body: '{"balance": 12345}', cutAfterBytes: 5 });
    const { getBalance, waits } = createTestClient(server);
    const error = await rejectionOf(getBalance());

    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(TimeoutError.isInstance(error)).toBe(false);
    const connectionError = error as ConnectionError;
    expect(connectionError.attempts).toBe(3);
    expect(connectionError.url).toBe(`${server.url}/v1/balance`);
    expect(connectionError.message).toContain('after 3 attempt(s)');
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
    expectNoSecret(error);
  });

  it('throws ConnectionError when the server destroys the socket', async () => {
    server.respondWith({ destroy: true });
    const { getBalance } = createTestClient(server, { maxRetries: 1 });
    const error = await rejectionOf(getBalance());
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('throws ConnectionError mentioning ECONNREFUSED when nothing listens', async () => {
    const closed = await startTestServer();
    await closed.close();
    const { getBalance, waits } = createTestClient(closed);
    const error = await rejectionOf(getBalance());
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain('ECONNREFUSED');
    expect((error as ConnectionError).attempts).toBe(3);
    expect(waits).toEqual([500, 1000]);
    expectNoSecret(error);
  });
});

describe('the raw typed client', () => {
  it('also retries', async () => {
    server.respondWith({ status: 503 }, ok);
    const { api, waits } = createTestClient(server);
    const { data, error, response } = await api.client.GET('/v1/balance');
    expect(error).toBeUndefined();
    expect(data).toEqual(ok.body);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.url}/v1/balance`);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['authorization']).toBe(`Bearer ${secret}`);
    expect(waits).toEqual([500]);
  });

  it('returns the last failure instead of throwing, after the retries', async () => {
    server.respondWith({ status: 503, body: { error: 'busy' } });
    const { api } = createTestClient(server);
    const { data, error, response } = await api.client.GET('/v1/balance');
    expect(data).toBeUndefined();
    expect(error).toEqual({ error: 'busy' });
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(3);
  });

  it('throws the typed ConnectionError, since openapi-fetch passes fetch failures through', async () => {
    server.respondWith({ destroy: true });
    const { api } = createTestClient(server, { maxRetries: 0 });
    expect(await rejectionOf(api.client.GET('/v1/balance'))).toBeInstanceOf(ConnectionError);
  });
});
