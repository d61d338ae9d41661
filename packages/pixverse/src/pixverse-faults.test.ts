/**
 * useapi.net's real failure shapes for PixVerse, served by a scriptable server: `{ error, code }`
 * bodies, Retry-After, 402/412/596, the plain-text 404, evolving fields, and the secrets of the
 * account list (session tokens, passwords) and of the API key, which must never leak.
 */
import {
  ApiCallError,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from '@aicredits/core';
import { withClock } from '@aicredits/core/provider-utils';
import { expectNoSecret, recordingClock, rejectionOf, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createPixVerse, type Features, type PixVerseSettings } from './index.js';

const secret = 'sk-live-LEAKCHECK-0123456789';
const sessionToken = 'eyJ-SECRET-JWT';
const password = 'hunter2-secret';

const features: Features = {
  user_id: 11223344,
  plan_name: 'Pro Plan',
  credit_daily: 30,
  credit_monthly: 5600,
  credit_package: 20,
  expired_date: '2027-01-01T21:21:21Z',
  price: '30',
  allow_fast_mode: 1,
};

let server: TestServer;
let waits: number[];
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function client(settings: PixVerseSettings = {}) {
  const recording = recordingClock();
  waits = recording.waits;
  return createPixVerse(withClock({ apiKey: secret, baseURL: server.url, ...settings }, recording.clock));
}

const useapiError = (status: number, message: string) => ({ status, body: { error: message, code: status } });

describe('useapi.net error bodies', () => {
  it('429 with Retry-After: 2 is waited out (recorded, not waited), then succeeds on the second request', async () => {
    server.respondWith(
      { ...useapiError(429, 'Too many requests, please retry later'), headers: { 'retry-after': '2' } },
      { body: features },
    );
    await expect(client().getFeatures({ email: 'alice@example.com' })).resolves.toEqual(features);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
    expect(server.requests.map((request) => request.url)).toEqual([
      '/v2/pixverse/features/?email=alice%40example.com',
      '/v2/pixverse/features/?email=alice%40example.com',
    ]);
  });

  it('429 after every retry is a RateLimitError with retryAfterMs and the message', async () => {
    server.respondWith({ ...useapiError(429, 'Account is busy'), headers: { 'retry-after': '2' } });
    const error = await rejectionOf(client({ maxRetries: 1 }).getFeatures());
    expect((error as object).constructor).toBe(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.retryAfterMs).toBe(2000);
    expect(rateLimit.attempts).toBe(2);
    expect(rateLimit.message).toContain('Account is busy');
    expect(rateLimit.body).toEqual({ error: 'Account is busy', code: 429 });
    expect(waits).toEqual([2000]);
    expectNoSecret(error, secret);
  });

  it('429 asking for more than a minute is not waited for', async () => {
    server.respondWith({ ...useapiError(429, 'Too many requests'), headers: { 'retry-after': '3600' } });
    const error = await rejectionOf(client({ maxRetries: 2 }).getFeatures());
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('412 is an InsufficientCreditsError', async () => {
    server.respondWith(useapiError(412, 'Insufficient credits'));
    const error = await rejectionOf(client().getFeatures());
    expect((error as object).constructor).toBe(InsufficientCreditsError);
    expect((error as InsufficientCreditsError).status).toBe(412);
    expect((error as InsufficientCreditsError).message).toContain('Insufficient credits');
    expect(server.requests).toHaveLength(1);
    expectNoSecret(error, secret);
  });

  it('402 (useapi.net subscription expired) is a PermissionDeniedError', async () => {
    server.respondWith(useapiError(402, 'Subscription expired'));
    const error = await rejectionOf(client().getFeatures());
    expect((error as object).constructor).toBe(PermissionDeniedError);
    expect((error as PermissionDeniedError).message).toContain('Subscription expired');
    expectNoSecret(error, secret);
  });

  it('596 (broken PixVerse session) is an AuthenticationError and is not retried', async () => {
    server.respondWith(useapiError(596, 'PixVerse session is broken, please re-add the account'), { body: features });
    const error = await rejectionOf(client({ maxRetries: 2 }).getFeatures());
    expect((error as object).constructor).toBe(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(596);
    expect((error as AuthenticationError).message).toContain('re-add the account');
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expectNoSecret(error, secret);
  });

  it('503 is retried with backoff, then succeeds', async () => {
    server.respondWith(useapiError(503, 'Service unavailable'), { body: features });
    await expect(client({ maxRetries: 1 }).getFeatures()).resolves.toEqual(features);
    expect(waits).toEqual([500]);
  });

  it('400, 401, 404 and 500 map to their classes with the message', async () => {
    const cases: Array<[number, typeof ApiCallError]> = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [404, NotFoundError],
      [500, ServerError],
    ];
    for (const [status, errorClass] of cases) {
      server.respondWith(useapiError(status, `useapi says ${status}`));
      const error = await rejectionOf(client({ maxRetries: 0 }).getFeatures({ email: 'nobody@example.com' }));
      expect((error as object).constructor, String(status)).toBe(errorClass);
      expect((error as ApiCallError).message).toContain(`useapi says ${status}`);
      expect((error as ApiCallError).body).toEqual({ error: `useapi says ${status}`, code: status });
      expectNoSecret(error, secret);
    }
  });

  it('the plain-text 404 of /v2/pixverse/accounts is a NotFoundError', async () => {
    server.respondWith({
      status: 404,
      headers: { 'content-type': 'text/plain' },
      body: 'Configuration not found. To create configuration use POST /accounts/email.',
    });
    const error = await rejectionOf(client().listAccounts());
    expect((error as object).constructor).toBe(NotFoundError);
    expect((error as NotFoundError).body).toBeUndefined();
    expectNoSecret(error, secret);
  });
});

describe('getFeatures bodies', () => {
  it('accepts an unknown plan name and unknown (e.g. 2026) fields', async () => {
    const body = {
      ...features,
      plan_name: 'Ultra Plan 2027',
      last_plan_name: 'Pro Plan',
      remaining_days: 12,
      qualities: ['360p', '1080p'],
      is_gift_card: false,
      unlimited_image_models: ['flux'],
      brand_new_field: { nested: true },
    };
    server.respondWith({ body });
    await expect(client().getFeatures()).resolves.toEqual(body);
  });

  it('accepts an empty object (every field is optional)', async () => {
    server.respondWith({ body: {} });
    await expect(client().getFeatures()).resolves.toEqual({});
  });

  it('a field of the wrong type is an InvalidResponseError naming its JSON path', async () => {
    server.respondWith({ body: { ...features, credit_daily: '30' } });
    const error = await rejectionOf(client().getFeatures());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.credit_daily');
    expect((error as InvalidResponseError).message).toContain('$.credit_daily');
    expectNoSecret(error, secret);
  });

  it('a body that is not JSON is an InvalidResponseError keeping the text', async () => {
    server.respondWith({ body: '{"credit_daily": 30,' });
    const error = await rejectionOf(client().getFeatures());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).message).toContain('not valid JSON');
    expect((error as InvalidResponseError).rawBody).toBe('{"credit_daily": 30,');
    expectNoSecret(error, secret);
  });
});

describe('listAccounts secrets', () => {
  const account = (overrides: Record<string, unknown> = {}) => ({
    email: 'alice@example.com',
    jwt: {
      AccountId: 1122334455,
      ExpireTime: 1798761600,
      ExpireTimeUTC: '2027-01-01T00:00:00.000Z',
      Username: 'alice',
      token: sessionToken,
    },
    maxJobs: 8,
    password,
    ...overrides,
  });
  const allSecrets = [secret, sessionToken, password];

  it('a valid list returns neither the session token nor the password', async () => {
    server.respondWith({ body: { 'alice@example.com': account() } });
    const accounts = await client().listAccounts();
    expect(accounts).toEqual([
      { email: 'alice@example.com', maxJobs: 8, sessionExpiresAt: new Date('2027-01-01T00:00:00.000Z') },
    ]);
    for (const value of [sessionToken, password]) expect(JSON.stringify(accounts)).not.toContain(value);
  });

  it('falls back to the key for the email and to ExpireTime (epoch seconds) for the expiry', async () => {
    const { email: _email, ...withoutEmail } = account();
    server.respondWith({
      body: { 'bob@example.com': { ...withoutEmail, jwt: { ExpireTime: 1798761600, token: sessionToken } } },
    });
    await expect(client().listAccounts()).resolves.toEqual([
      { email: 'bob@example.com', maxJobs: 8, sessionExpiresAt: new Date(1798761600 * 1000) },
    ]);
  });

  it('an invalid body (a wrong-typed field) is an InvalidResponseError with both secrets masked everywhere', async () => {
    server.respondWith({ body: { 'alice@example.com': account({ maxJobs: 'eight' }) } });
    const error = await rejectionOf(client().listAccounts());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    const invalid = error as InvalidResponseError;
    expect(invalid.path).toBe('$.alice@example.com.maxJobs');
    expect(invalid.message).toContain('maxJobs');
    expect(invalid.rawBody).not.toBe('');
    expect(invalid.rawBody).toContain('[REDACTED]');
    expect(invalid.rawBody).toContain('"maxJobs":"eight"');
    expect(JSON.stringify(invalid.body)).toContain('[REDACTED]');
    expectNoSecret(error, allSecrets);
  });

  it('an invalid nested field next to the token keeps the token masked', async () => {
    server.respondWith({
      body: { 'alice@example.com': account({ jwt: { AccountId: 'not-a-number', token: sessionToken } }) },
    });
    const error = await rejectionOf(client().listAccounts());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.alice@example.com.jwt.AccountId');
    expectNoSecret(error, allSecrets);
  });

  it('a body that is not JSON keeps none of it', async () => {
    server.respondWith({
      body: `{"alice@example.com": {"password": "${password}" "jwt": {"token": "${sessionToken}"}}}`,
    });
    const error = await rejectionOf(client().listAccounts());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).message).toContain('not valid JSON');
    expectNoSecret(error, allSecrets);
  });

  it('an error status whose body carries the secrets keeps them masked', async () => {
    server.respondWith({ status: 500, body: { error: 'Internal error', code: 500, 'alice@example.com': account() } });
    const error = await rejectionOf(client({ maxRetries: 0 }).listAccounts());
    expect(ServerError.isInstance(error)).toBe(true);
    expect((error as ServerError).message).toContain('Internal error');
    expectNoSecret(error, allSecrets);
  });

  it('a session token where the jwt object belongs does not leak through the reason', async () => {
    server.respondWith({ body: { 'alice@example.com': account({ jwt: sessionToken }) } });
    const error = await rejectionOf(client().listAccounts());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expectNoSecret(error, allSecrets);
  });

  it('a password of the wrong type does not leak through the reason', async () => {
    server.respondWith({ body: { 'alice@example.com': account({ password: 918273645 }) } });
    const error = await rejectionOf(client().listAccounts());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expectNoSecret(error, ['918273645']);
  });

  it('an unquoted token in an unparsable body does not leak through the parser’s message', async () => {
    server.respondWith({ body: `{"alice@example.com": {"jwt": {"token": ${sessionToken}}}}` });
    const error = await rejectionOf(client().listAccounts());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expectNoSecret(error, ['eyJ-SECRET']);
  });
});

describe('the request', () => {
  it('reaches /v2/pixverse/features/ with its trailing slash and the Bearer token', async () => {
    server.respondWith({ body: features });
    await client().getFeatures();
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.url).toBe('/v2/pixverse/features/');
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${secret}`);
  });
});
