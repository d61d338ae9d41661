/**
 * A one-api / new-api gateway's real failure shapes, served by a scriptable server:
 * `{ error: { message, type, code? } }` under HTTP 200 and under error statuses, Chinese messages,
 * a usage endpoint that fails while the limit answers, and an API key that never leaks.
 */
import type { ServerResponse } from 'node:http';

import {
  ApiCallError,
  AuthenticationError,
  InvalidResponseError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from '@aicredits/core';
import { withClock } from '@aicredits/core/provider-utils';
import {
  expectNoSecret,
  recordingClock,
  rejectionOf,
  type ScriptedResponse,
  startTestServer,
  type TestServer,
} from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type BillingSubscription, type BillingUsage, createIqqz, type IqqzSettings } from './index.js';

const secret = 'sk-live-LEAKCHECK-0123456789';
const invalidTokenBody = { error: { message: '无效的令牌', type: 'new_api_error' } };

const subscription: BillingSubscription = {
  object: 'billing_subscription',
  has_payment_method: true,
  soft_limit_usd: 20,
  hard_limit_usd: 20,
  system_hard_limit_usd: 20,
  access_until: 0,
};
const usage: BillingUsage = { object: 'list', total_usage: 750 };

let server: TestServer;
let waits: number[];
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function client(settings: IqqzSettings = {}) {
  const recording = recordingClock();
  waits = recording.waits;
  return createIqqz(withClock({ apiKey: secret, baseURL: server.url, ...settings }, recording.clock));
}

/** Answers the subscription and the usage endpoints separately (getBalance calls both at once). */
const usdStatus: ScriptedResponse = { body: { success: true, data: { quota_display_type: 'USD' } } };

function routeByPath(routes: { subscription: ScriptedResponse; usage: ScriptedResponse; status?: ScriptedResponse }) {
  server.handle((request, response) => {
    const scripted = request.url?.startsWith('/v1/dashboard/billing/usage')
      ? routes.usage
      : request.url?.startsWith('/api/status')
        ? (routes.status ?? usdStatus)
        : routes.subscription;
    send(response, scripted);
  });
}

function send(response: ServerResponse, scripted: ScriptedResponse): void {
  const body = typeof scripted.body === 'string' ? scripted.body : JSON.stringify(scripted.body ?? {});
  response.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers }).end(body);
}

describe('the gateway error body', () => {
  it('under HTTP 200 is an AuthenticationError with the Chinese message, not retried', async () => {
    server.respondWith({ body: invalidTokenBody });
    const error = await rejectionOf(client().getSubscription());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(200);
    expect(authError.providerMessage).toBe('无效的令牌');
    expect(authError.message).toContain('无效的令牌');
    expect(authError.body).toEqual(invalidTokenBody);
    expect(server.requests).toHaveLength(1);
    expectNoSecret(error, secret);
  });

  it('under HTTP 401 is an AuthenticationError with the Chinese message', async () => {
    server.respondWith({ status: 401, body: invalidTokenBody });
    const error = await rejectionOf(client().getUsage());
    expect((error as object).constructor).toBe(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).message).toContain('无效的令牌');
    expect((error as AuthenticationError).rawBody).toBe(JSON.stringify(invalidTokenBody));
    expectNoSecret(error, secret);
  });

  it('under HTTP 200 with an OpenAI-style invalid key is an AuthenticationError', async () => {
    server.respondWith({
      body: {
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
      },
    });
    const error = await rejectionOf(client().getSubscription());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expectNoSecret(error, secret);
  });

  it('under HTTP 200 about something else is a plain ApiCallError with that message', async () => {
    const body = {
      error: { message: '当前分组 default 下对于模型 gpt-4 无可用渠道', type: 'new_api_error', code: null },
    };
    server.respondWith({ body });
    const error = await rejectionOf(client().getSubscription());
    expect((error as object).constructor).toBe(ApiCallError);
    expect((error as ApiCallError).status).toBe(200);
    expect((error as ApiCallError).message).toContain('无可用渠道');
    expectNoSecret(error, secret);
  });

  it('with a numeric code under HTTP 403 is a PermissionDeniedError', async () => {
    server.respondWith({
      status: 403,
      body: { error: { message: '该令牌额度已用尽', type: 'new_api_error', code: 403 } },
    });
    const error = await rejectionOf(client().getSubscription());
    expect((error as object).constructor).toBe(PermissionDeniedError);
    expect((error as PermissionDeniedError).message).toContain('该令牌额度已用尽');
    expectNoSecret(error, secret);
  });

  it('under 429 waits for Retry-After (recorded), then succeeds', async () => {
    server.respondWith(
      {
        status: 429,
        headers: { 'retry-after': '2' },
        body: { error: { message: '请求过于频繁', type: 'new_api_error' } },
      },
      { body: subscription },
    );
    await expect(client().getSubscription()).resolves.toEqual(subscription);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('under 429 with no retries left is a RateLimitError', async () => {
    server.respondWith({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { error: { message: '请求过于频繁', type: 'new_api_error' } },
    });
    const error = await rejectionOf(client({ maxRetries: 0 }).getSubscription());
    expect((error as object).constructor).toBe(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
    expectNoSecret(error, secret);
  });

  it('under 500 is a ServerError', async () => {
    server.respondWith({ status: 500, body: { error: { message: '上游服务错误', type: 'upstream_error' } } });
    const error = await rejectionOf(client({ maxRetries: 0 }).getSubscription());
    expect((error as object).constructor).toBe(ServerError);
    expect((error as ServerError).message).toContain('上游服务错误');
    expectNoSecret(error, secret);
  });
});

describe('getBalance', () => {
  it('when usage answers 500 returns the balance with `remaining` unknown and a note', async () => {
    routeByPath({
      subscription: { body: subscription },
      usage: { status: 500, body: { error: { message: '上游服务错误', type: 'upstream_error' } } },
    });
    const balance = await client({ maxRetries: 0 }).getBalance();
    expect(balance.remaining).toBeUndefined();
    expect(balance.used).toBeUndefined();
    expect(balance.limit).toBe(20);
    expect(balance.notes).toHaveLength(1);
    expect(balance.notes[0]).toContain('usage');
    expect(server.requests.map((request) => request.url).sort()).toEqual([
      '/api/status',
      '/v1/dashboard/billing/subscription',
      '/v1/dashboard/billing/usage',
    ]);
    expect(JSON.stringify(balance)).not.toContain(secret);
  });

  it('when usage answers a gateway error under 200 also keeps `remaining` unknown', async () => {
    routeByPath({ subscription: { body: subscription }, usage: { body: invalidTokenBody } });
    const balance = await client({ maxRetries: 0 }).getBalance();
    expect(balance.remaining).toBeUndefined();
    expect(balance.notes[0]).toContain('无效的令牌');
  });

  it('when both answer combines limit and usage', async () => {
    routeByPath({ subscription: { body: subscription }, usage: { body: usage } });
    const balance = await client().getBalance();
    expect(balance).toMatchObject({ limit: 20, used: 7.5, remaining: 12.5, notes: [] });
  });

  it('reads the unit from the gateway status: new-api displaying CNY', async () => {
    routeByPath({
      subscription: { body: subscription },
      usage: { body: usage },
      status: { body: { success: true, message: '', data: { quota_per_unit: 500000, quota_display_type: 'CNY' } } },
    });
    const balance = await client().getBalance();
    expect(balance).toMatchObject({ unit: 'CNY', remaining: 12.5, notes: [] });
    expect(balance.unitAssumed).toBe(false);
  });

  it('a configured unit wins: the status is not asked', async () => {
    routeByPath({ subscription: { body: subscription }, usage: { body: usage } });
    const balance = await client().getBalance({ unit: 'tokens' });
    expect(balance).toMatchObject({ unit: 'tokens', notes: [] });
    expect(server.requests.map((request) => request.url)).not.toContain('/api/status');
  });

  it.each([
    [
      'answers 404 (not one-api / new-api)',
      { status: 404, body: '404 page not found', headers: { 'content-type': 'text/plain' } },
    ],
    ['says nothing about display', { body: { success: true, data: {} } }],
    ['is not JSON', { body: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } }],
    ['answers 500', { status: 500, body: { error: { message: 'x', type: 'y' } } }],
  ] as const)('when the status %s, USD is assumed and the balance says so', async (_case, status) => {
    routeByPath({ subscription: { body: subscription }, usage: { body: usage }, status });
    const balance = await client().getBalance();
    expect(balance).toMatchObject({ unit: 'USD', unitAssumed: true, remaining: 12.5 });
    expect(balance.notes).toEqual([
      'unit assumed USD: the gateway does not publish its display unit; set "unit" to be sure',
    ]);
    // The status is asked once: its failure is not worth a retry.
    expect(server.requests.filter((request) => request.url === '/api/status')).toHaveLength(1);
  });

  it('when the subscription fails, fails with that error', async () => {
    routeByPath({ subscription: { status: 401, body: invalidTokenBody }, usage: { body: usage } });
    const error = await rejectionOf(client().getBalance());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expectNoSecret(error, secret);
  });
});

describe('bodies', () => {
  it('accepts unknown fields and the unlimited marker', async () => {
    const body = {
      ...subscription,
      soft_limit_usd: 100000000,
      hard_limit_usd: 100000000,
      system_hard_limit_usd: 100000000,
      plan: 'vip',
    };
    server.respondWith({ body });
    await expect(client().getSubscription()).resolves.toEqual(body);
  });

  it('a limit of the wrong type is an InvalidResponseError naming its JSON path', async () => {
    server.respondWith({ body: { ...subscription, hard_limit_usd: '20' } });
    const error = await rejectionOf(client().getSubscription());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.hard_limit_usd');
    expect((error as InvalidResponseError).message).toContain('$.hard_limit_usd');
    expectNoSecret(error, secret);
  });

  it('a usage of the wrong type is an InvalidResponseError naming its JSON path', async () => {
    server.respondWith({ body: { object: 'list', total_usage: null } });
    const error = await rejectionOf(client().getUsage());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.total_usage');
    expectNoSecret(error, secret);
  });

  it('an HTML page under 200 (a misconfigured base URL) is an InvalidResponseError', async () => {
    server.respondWith({
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<!doctype html><title>New API</title>',
    });
    const error = await rejectionOf(client().getSubscription());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).rawBody).toBe('<!doctype html><title>New API</title>');
    expectNoSecret(error, secret);
  });
});

describe('the requests', () => {
  it('carry the Bearer token, and the usage dates as query parameters only when given', async () => {
    server.respondWith({ body: usage });
    const iqqz = client();
    await iqqz.getUsage({ startDate: '2025-01-01', endDate: '2025-01-31' });
    await iqqz.getUsage({ startDate: '2025-01-01' });
    await iqqz.getUsage();
    expect(server.requests.map((request) => request.url)).toEqual([
      '/v1/dashboard/billing/usage?start_date=2025-01-01&end_date=2025-01-31',
      '/v1/dashboard/billing/usage?start_date=2025-01-01',
      '/v1/dashboard/billing/usage',
    ]);
    for (const request of server.requests) {
      expect(request.method).toBe('GET');
      expect(request.headers['authorization']).toBe(`Bearer ${secret}`);
    }
  });
});

describe('an answer that lacks fields the spec requires', () => {
  const without = (field: keyof BillingSubscription) =>
    Object.fromEntries(Object.entries(subscription).filter(([name]) => name !== field));

  it('without has_payment_method (unused): the balance, and a note naming the field', async () => {
    routeByPath({ subscription: { body: without('has_payment_method') }, usage: { body: usage } });
    const balance = await client().getBalance();
    expect(balance.remaining).toBe(12.5);
    expect(balance.notes).toContain(
      'the answer lacks $.has_payment_method, which the spec requires but the balance does not use',
    );
  });

  it('without usage.object (unused) and soft_limit_usd (unused): one note each answer', async () => {
    routeByPath({ subscription: { body: without('soft_limit_usd') }, usage: { body: { total_usage: 750 } } });
    const balance = await client().getBalance();
    expect(balance.remaining).toBe(12.5);
    expect(balance.notes.filter((note) => note.startsWith('the answer lacks'))).toEqual([
      'the answer lacks $.soft_limit_usd, which the spec requires but the balance does not use',
      'the answer lacks $.object, which the spec requires but the balance does not use',
    ]);
  });

  it('without hard_limit_usd (needed): an invalid response naming it and the branch it nearly matched', async () => {
    routeByPath({ subscription: { body: without('hard_limit_usd') }, usage: { body: usage } });
    const error = await rejectionOf(client().getBalance());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.hard_limit_usd');
    expect((error as InvalidResponseError).reason).toContain(
      '$.hard_limit_usd: required property is missing (nearest match: BillingSubscription)',
    );
  });

  it('the typed raw getSubscription() still requires every field its type promises', async () => {
    server.respondWith({ body: without('has_payment_method') });
    const error = await rejectionOf(client().getSubscription());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.has_payment_method');
  });
});

describe('a body that matches neither branch of the anyOf', () => {
  it('is described by the branch it nearly matched (the limit), not by the error body', async () => {
    // Shares five properties with BillingSubscription and one (a null `error`) with Error, whose
    // issue lies deeper: the deepest issue alone would blame `$.error`.
    const { access_until: _unused, ...withoutExpiry } = subscription;
    server.respondWith({ body: { ...withoutExpiry, error: null } });
    const error = await rejectionOf(client().getSubscription());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.access_until');
    expect((error as InvalidResponseError).reason).toContain(
      '$.access_until: required property is missing (nearest match: BillingSubscription)',
    );
  });
});
