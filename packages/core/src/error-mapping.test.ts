import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  AiCreditsError,
  ApiCallError,
  AuthenticationError,
  ConnectionError,
  InsufficientCreditsError,
  InvalidResponseError,
  MissingApiKeyError,
  RateLimitError,
  ServerError,
  SettingsError,
  TimeoutError,
  UserAbortError,
} from './index.js';
import { createApiCallError } from './provider-utils.js';
import { createTestClient, rejectionOf } from './testing/test-provider.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const ok = { body: { balance: 42 } };

function expectInvalidResponse(error: unknown): InvalidResponseError {
  expect(InvalidResponseError.isInstance(error)).toBe(true);
  expect(error).toBeInstanceOf(InvalidResponseError);
  expect(ApiCallError.isInstance(error)).toBe(false);
  return error as InvalidResponseError;
}

describe('bodies that cannot be used', () => {
  it('truncated JSON under 200: InvalidResponseError, not retried, raw text kept', async () => {
    server.respondWith({ body: '{"balance": 12' }, ok);
    const { getBalance } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.status).toBe(200);
    expect(error.reason).toContain('not valid JSON');
    expect(error.message).toContain('not valid JSON');
    expect(error.rawBody).toBe('{"balance": 12');
    expect(error.body).toBeUndefined();
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.url).toBe(`${server.url}/v1/balance`);
    expect(error.operation).toBe('getBalance');
    expect(server.requests).toHaveLength(1);
  });

  it('an HTML 502 page: ServerError with the page as rawBody', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
    server.respondWith({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    const { getBalance } = createTestClient(server, { maxRetries: 0 });
    const error = await rejectionOf(getBalance());

    expect(ServerError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ServerError);
    const serverError = error as ServerError;
    expect(serverError.status).toBe(502);
    expect(serverError.rawBody).toBe(html);
    expect(serverError.body).toBeUndefined();
    // No JSON to read a message from: the status text stands in.
    expect(serverError.message).toContain('Bad Gateway');
    expect(server.requests).toHaveLength(1);
  });

  it('an HTML page under 200: InvalidResponseError naming the content type', async () => {
    server.respondWith({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html>login</html>' });
    const { getBalance } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.reason).toContain('text/html');
    expect(error.contentType).toBe('text/html; charset=utf-8');
    expect(error.rawBody).toBe('<html>login</html>');
    expect(server.requests).toHaveLength(1);
  });

  it('accepts a vendor JSON content type', async () => {
    server.respondWith({ headers: { 'content-type': 'application/vnd.api+json' }, body: { balance: 7 } });
    const { getBalance } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual({ balance: 7 });
  });

  it('an empty 200: InvalidResponseError "empty"', async () => {
    server.respondWith({ body: '' });
    const { getBalance } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.reason).toContain('empty');
    expect(error.rawBody).toBe('');
  });

  it('a 10 MB body: InvalidResponseError (over maxResponseBytes), not retried', async () => {
    server.respondWith({ body: JSON.stringify({ balance: 1, padding: 'x'.repeat(10 * 1024 * 1024) }) }, ok);
    const { getBalance, waits } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.reason).toContain('maxResponseBytes');
    expect(error.reason).toContain(String(4 * 1024 * 1024));
    expect(error.status).toBe(200);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('a 10 MB body without content-length (chunked) is refused as well', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(1024 * 1024);
      response.write('{"balance": 1, "padding": "');
      for (let i = 0; i < 10; i++) response.write(chunk);
      response.end('"}');
    });
    const { getBalance } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.reason).toContain('maxResponseBytes');
    expect(server.requests).toHaveLength(1);
  });

  it('a 10 MB body is fine with maxResponseBytes: 16 MiB', async () => {
    const padding = 'x'.repeat(10 * 1024 * 1024);
    server.respondWith({ body: JSON.stringify({ balance: 1, padding }) });
    const { getBalance } = createTestClient(server, { maxResponseBytes: 16 * 1024 * 1024 });
    const balance = (await getBalance()) as { balance: number; padding?: string };
    expect(balance.balance).toBe(1);
    expect(balance.padding).toHaveLength(padding.length);
  }, 30_000);

  it('an error status over maxResponseBytes is refused too', async () => {
    server.respondWith({ status: 500, body: 'x'.repeat(5 * 1024 * 1024), headers: { 'content-type': 'text/plain' } });
    const { getBalance } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(1);
  });
});

describe('an error envelope under HTTP 200', () => {
  it('becomes the kind the definition gives, with the provider message', async () => {
    server.respondWith({ body: { error: { message: '无效的令牌', type: 'invalid_request_error' } } });
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance());

    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(AuthenticationError);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(200);
    expect(authError.message).toContain('无效的令牌');
    expect(authError.providerMessage).toBe('无效的令牌');
    expect(authError.body).toEqual({ error: { message: '无效的令牌', type: 'invalid_request_error' } });
    expect(authError.rawBody).toBe(JSON.stringify({ error: { message: '无效的令牌', type: 'invalid_request_error' } }));
    expect(authError.isRetryable).toBe(false);
    expect(authError.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('an envelope of another type is a plain ApiCallError', async () => {
    server.respondWith({ body: { error: { message: 'something odd', type: 'server_error' } } });
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance());
    expect(error).toBeInstanceOf(ApiCallError);
    expect(AuthenticationError.isInstance(error)).toBe(false);
    expect((error as ApiCallError).message).toContain('something odd');
  });
});

describe('validation', () => {
  it('a wrong type: InvalidResponseError with the path and what was expected', async () => {
    server.respondWith({ body: { balance: '12.50' } });
    const { getBalance } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.path).toBe('$.balance');
    expect(error.reason).toMatch(/expected number, got string "12\.50"/);
    expect(error.reason).toContain('testprovider spec');
    expect(error.body).toEqual({ balance: '12.50' });
    expect(error.rawBody).toBe('{"balance":"12.50"}');
  });

  it('a missing property: the path names it', async () => {
    server.respondWith({ body: { credits: 12 } });
    const { getBalance } = createTestClient(server);
    const error = expectInvalidResponse(await rejectionOf(getBalance()));
    expect(error.path).toBe('$.balance');
    expect(error.reason).toContain('required property is missing');
  });

  it('validateResponses: false returns the body as it is', async () => {
    server.respondWith({ body: { balance: '12.50' } });
    const { getBalance } = createTestClient(server, { validateResponses: false });
    await expect(getBalance()).resolves.toEqual({ balance: '12.50' });
  });

  it('unknown extra fields are accepted and kept', async () => {
    server.respondWith({ body: { balance: 3, currency: 'EUR', brandNewField: { nested: true } } });
    const { getBalance } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual({ balance: 3, currency: 'EUR', brandNewField: { nested: true } });
  });

  it('unwrap picks the data out, or says why the body is unusable', async () => {
    server.respondWith({ body: { balance: 3 } }, { body: { balance: -1 } });
    const { api } = createTestClient(server);
    const credits = () =>
      api.call<{ balance: number }, number>({
        name: 'getCredits',
        send: (init) => api.client.GET('/v1/balance', init),
        unwrap: (body) =>
          body.balance >= 0 ? { data: body.balance } : { invalid: 'negative balance', path: '$.balance' },
      });
    await expect(credits()).resolves.toBe(3);
    const error = expectInvalidResponse(await rejectionOf(credits()));
    expect(error.reason).toBe('negative balance');
    expect(error.path).toBe('$.balance');
    expect(error.operation).toBe('getCredits');
  });
});

describe('isInstance', () => {
  const options = {
    provider: 'testprovider',
    operation: 'getBalance',
    status: 401,
    url: 'https://api.testprovider.invalid/v1/balance',
    rawBody: '',
    attempts: 1,
    isRetryable: false,
  };

  it('follows the class hierarchy', () => {
    const authError = new AuthenticationError(options);
    expect(AiCreditsError.isInstance(authError)).toBe(true);
    expect(ApiCallError.isInstance(authError)).toBe(true);
    expect(AuthenticationError.isInstance(authError)).toBe(true);
    expect(RateLimitError.isInstance(authError)).toBe(false);
    expect(InvalidResponseError.isInstance(authError)).toBe(false);
    expect(authError).toBeInstanceOf(ApiCallError);
    expect(authError).toBeInstanceOf(AiCreditsError);
    expect(authError).toBeInstanceOf(Error);
    expect(authError.name).toBe('AuthenticationError');

    const timeout = new TimeoutError({ provider: 'testprovider', url: options.url, attempts: 1, timeoutMs: 5 });
    expect(ConnectionError.isInstance(timeout)).toBe(true);
    expect(TimeoutError.isInstance(timeout)).toBe(true);
    expect(TimeoutError.isInstance(new ConnectionError({ provider: 'p', url: 'u', attempts: 1 }))).toBe(false);

    const missing = new MissingApiKeyError({ provider: 'testprovider' });
    expect(SettingsError.isInstance(missing)).toBe(true);
    expect(AiCreditsError.isInstance(new UserAbortError({ provider: 'p', url: 'u' }))).toBe(true);
  });

  it('is false for anything else', () => {
    for (const value of [undefined, null, 0, 'AuthenticationError', {}, new Error('x'), Symbol('x')]) {
      expect(AiCreditsError.isInstance(value)).toBe(false);
    }
  });

  it('does not let the marker leak into enumeration or JSON', () => {
    const authError = new AuthenticationError(options);
    expect(Object.keys(authError)).not.toContain(Symbol.for('aicredits.error.authentication'));
    expect(JSON.stringify(authError)).not.toContain('aicredits.error');
    expect(JSON.parse(JSON.stringify(authError))).toMatchObject({ name: 'AuthenticationError', status: 401 });
  });

  it('recognises an error made by another copy of the package', () => {
    class Copy extends Error {
      constructor() {
        super('x');
        Object.defineProperty(this, Symbol.for('aicredits.error.rate-limit'), { value: true });
      }
    }
    const copy = new Copy();
    expect(RateLimitError.isInstance(copy)).toBe(true);
    expect(copy).not.toBeInstanceOf(RateLimitError);
    expect(AuthenticationError.isInstance(copy)).toBe(false);
  });

  it('createApiCallError picks the class of each kind', () => {
    expect(createApiCallError('insufficient-credits', options)).toBeInstanceOf(InsufficientCreditsError);
    expect(createApiCallError('other', options).constructor).toBe(ApiCallError);
  });
});
