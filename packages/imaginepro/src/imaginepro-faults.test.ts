/**
 * ImaginePro's real failure shapes, served by a scriptable server: NestJS error bodies
 * (`{ message, error?, statusCode }`, `message` possibly a list), evolving plan names, required
 * fields, and an API key that never leaks.
 */
import {
  ApiCallError,
  AuthenticationError,
  BadRequestError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from '@aicredits/core';
import { withClock } from '@aicredits/core/provider-utils';
import { expectNoSecret, recordingClock, rejectionOf, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type AccountInfo, createImaginePro, type ImagineProSettings } from './index.js';

const secret = 'sk-live-LEAKCHECK-0123456789';

const accountInfo: AccountInfo = {
  type: 'STARTER',
  creditsQuota: 1600,
  credits: 1240,
  creditsExtra: 0,
  expiredAt: '2027-02-07T14:30:00.000Z',
  email: 'alice@example.com',
};

let server: TestServer;
let waits: number[];
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function client(settings: ImagineProSettings = {}) {
  const recording = recordingClock();
  waits = recording.waits;
  return createImaginePro(withClock({ apiKey: secret, baseURL: server.url, ...settings }, recording.clock));
}

describe('NestJS error bodies', () => {
  it('a validation error with a list of messages is a BadRequestError naming every message', async () => {
    const body = { message: ['a must be a string', 'b should not be empty'], error: 'Bad Request', statusCode: 400 };
    server.respondWith({ status: 400, body });
    const error = await rejectionOf(client().getAccountInfo());
    expect((error as object).constructor).toBe(BadRequestError);
    const badRequest = error as BadRequestError;
    expect(badRequest.message).toContain('a must be a string');
    expect(badRequest.message).toContain('b should not be empty');
    expect(badRequest.body).toEqual(body);
    expect(badRequest.rawBody).toBe(JSON.stringify(body));
    expect(server.requests).toHaveLength(1);
    expectNoSecret(error, secret);
  });

  it('401 is an AuthenticationError with the message', async () => {
    server.respondWith({ status: 401, body: { message: 'Invalid API key', error: 'Unauthorized', statusCode: 401 } });
    const error = await rejectionOf(client().getAccountInfo());
    expect((error as object).constructor).toBe(AuthenticationError);
    expect((error as AuthenticationError).message).toContain('Invalid API key');
    expectNoSecret(error, secret);
  });

  it('a body with only `error` uses it as the message', async () => {
    server.respondWith({ status: 403, body: { error: 'Forbidden', statusCode: 403 } });
    const error = await rejectionOf(client().getAccountInfo());
    expect((error as object).constructor).toBe(PermissionDeniedError);
    expect((error as PermissionDeniedError).message).toContain('Forbidden');
    expectNoSecret(error, secret);
  });

  it('404, 429 and 500 map to their classes', async () => {
    const cases: Array<[number, typeof ApiCallError]> = [
      [404, NotFoundError],
      [429, RateLimitError],
      [500, ServerError],
    ];
    for (const [status, errorClass] of cases) {
      server.respondWith({ status, body: { message: `nest says ${status}`, statusCode: status } });
      const error = await rejectionOf(client({ maxRetries: 0 }).getAccountInfo());
      expect((error as object).constructor, String(status)).toBe(errorClass);
      expect((error as ApiCallError).message).toContain(`nest says ${status}`);
      expectNoSecret(error, secret);
    }
  });

  it('500 is retried, then succeeds', async () => {
    server.respondWith(
      { status: 500, body: { message: 'Internal server error', statusCode: 500 } },
      { body: accountInfo },
    );
    await expect(client({ maxRetries: 1 }).getAccountInfo()).resolves.toEqual(accountInfo);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it('an echoed API key is redacted everywhere', async () => {
    server.respondWith({ status: 401, body: { message: [`key ${secret} is invalid`], statusCode: 401 } });
    const error = await rejectionOf(client().getAccountInfo());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as AuthenticationError).message).toContain('key [REDACTED] is invalid');
    expectNoSecret(error, secret);
  });
});

describe('account info bodies', () => {
  it('accepts an unknown plan name and unknown fields', async () => {
    const body = { ...accountInfo, type: 'PRO_MAX', creditsBonus: 5, team: { id: 1 } };
    server.respondWith({ body });
    await expect(client().getAccountInfo()).resolves.toEqual(body);
  });

  it('a field of the wrong type is an InvalidResponseError naming its JSON path', async () => {
    server.respondWith({ body: { ...accountInfo, credits: '1240' } });
    const error = await rejectionOf(client().getAccountInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.credits');
    expect((error as InvalidResponseError).message).toContain('$.credits');
    expectNoSecret(error, secret);
  });

  it('a fractional credit count is refused (the spec says integer)', async () => {
    server.respondWith({ body: { ...accountInfo, creditsExtra: 1.5 } });
    const error = await rejectionOf(client().getAccountInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.creditsExtra');
  });

  it('a missing required field is an InvalidResponseError naming it', async () => {
    const { email: _email, ...withoutEmail } = accountInfo;
    server.respondWith({ body: withoutEmail });
    const error = await rejectionOf(client().getAccountInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.email');
    expect((error as InvalidResponseError).message).toContain('required');
    expectNoSecret(error, secret);
  });

  it('an empty 200 is an InvalidResponseError', async () => {
    server.respondWith({ body: '' });
    const error = await rejectionOf(client().getAccountInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).message).toContain('empty');
    expectNoSecret(error, secret);
  });
});

describe('the request', () => {
  it('is a GET with the Bearer key and no body on the wire (the docs’ curl sends `{}`)', async () => {
    server.respondWith({ body: accountInfo });
    await client().getAccountInfo();
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/api/v1/subscription/account-info');
    expect(request?.headers['authorization']).toBe(`Bearer ${secret}`);
    expect(request?.headers['content-length']).toBeUndefined();
    expect(request?.headers['transfer-encoding']).toBeUndefined();
    expect(request?.headers['content-type']).toBeUndefined();
  });
});

describe('account info that lacks fields the spec requires', () => {
  it('without email (no part of a balance): the balance, and a note naming it', async () => {
    const { email: _unused, ...withoutEmail } = accountInfo;
    server.respondWith({ body: withoutEmail });
    const balance = await client().getBalance();
    expect(balance.remaining).toBe(accountInfo.credits + accountInfo.creditsExtra);
    expect(balance.notes).toEqual(['the answer lacks $.email, which the spec requires but the balance does not use']);
  });

  it('without credits (the balance itself): an invalid response naming it', async () => {
    const { credits: _unused, ...withoutCredits } = accountInfo;
    server.respondWith({ body: withoutCredits });
    const error = await rejectionOf(client().getBalance());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.credits');
  });
});
