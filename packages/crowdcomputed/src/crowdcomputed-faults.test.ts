/**
 * CrowdComputed's real failure shapes, served by a scriptable server: the `{ code, message, data }`
 * envelope under 200 and under error statuses, the documentation's unparsable example, evolving
 * fields, and an API key that never leaks.
 */
import { ApiCallError, AuthenticationError, InvalidResponseError, ServerError } from '@aicredits/core';
import { withClock } from '@aicredits/core/provider-utils';
import { expectNoSecret, recordingClock, rejectionOf, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createCrowdComputed, type CrowdComputedSettings, type MemberInfo } from './index.js';

const secret = 'sk-live-LEAKCHECK-0123456789';

const memberInfo: MemberInfo = {
  memberType: 'professional',
  periodType: 'year',
  payType: 'paypal',
  nextPayTime: 1805068800,
  nextPointsResetTime: 1799971200,
  nextPayAmount: 1999,
  usedPoints: 12830,
  usedTemporaryPoints: 12000,
  usedPermanentPoints: 830,
  totalPoints: 50000,
  currentTemporaryPoints: 33000,
  currentPermanentPoints: 4170,
  status: 'subscribed',
};
const success = (data: unknown) => ({ code: 'Success', message: 'success', data });
const failedUnauthorized = { code: 'Failed', message: 'unauthorized', data: null };

/**
 * The documentation's example as published: valid but for the comma missing after `"nextPayTime": 0`
 * (the notes say the published JSON misses one).
 */
const publishedUnparsableExample = `{
    "code": "Success",
    "message": "string",
    "data": {
        "memberType": "hobby",
        "periodType": "month",
        "payType": "alipay",
        "nextPayTime": 0
        "nextPointsResetTime": 0,
        "nextPayAmount": 0,
        "usedPoints": 0,
        "usedTemporaryPoints": 0,
        "usedPermanentPoints": 0,
        "totalPoints": 0,
        "currentTemporaryPoints": 0,
        "currentPermanentPoints": 0,
        "status": "subscribed"
    }
}`;

let server: TestServer;
let waits: number[];
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function client(settings: CrowdComputedSettings = {}) {
  const recording = recordingClock();
  waits = recording.waits;
  return createCrowdComputed(withClock({ apiKey: secret, baseURL: server.url, ...settings }, recording.clock));
}

describe('the Failed envelope', () => {
  it('under HTTP 200 is an AuthenticationError, not retried', async () => {
    server.respondWith({ body: failedUnauthorized });
    const error = await rejectionOf(client().getMemberInfo());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const authError = error as AuthenticationError;
    expect(authError.status).toBe(200);
    expect(authError.providerMessage).toBe('unauthorized');
    expect(authError.message).toContain('unauthorized');
    expect(authError.body).toEqual(failedUnauthorized);
    expect(server.requests).toHaveLength(1);
    expectNoSecret(error, secret);
  });

  it('under HTTP 401 is an AuthenticationError', async () => {
    server.respondWith({ status: 401, body: failedUnauthorized });
    const error = await rejectionOf(client().getMemberInfo());
    expect((error as object).constructor).toBe(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expectNoSecret(error, secret);
  });

  it('under HTTP 500 is a ServerError with the envelope’s message', async () => {
    server.respondWith({ status: 500, body: failedUnauthorized });
    const error = await rejectionOf(client({ maxRetries: 0 }).getMemberInfo());
    expect((error as object).constructor).toBe(ServerError);
    const serverError = error as ServerError;
    expect(serverError.status).toBe(500);
    expect(serverError.message).toContain('unauthorized');
    expect(serverError.rawBody).toBe(JSON.stringify(failedUnauthorized));
    expect(server.requests).toHaveLength(1);
    expectNoSecret(error, secret);
  });

  it('under HTTP 500 is retried, then succeeds', async () => {
    server.respondWith({ status: 500, body: failedUnauthorized }, { body: success(memberInfo) });
    await expect(client({ maxRetries: 1 }).getMemberInfo()).resolves.toEqual(memberInfo);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it('with another message under HTTP 200 is a plain ApiCallError carrying that message', async () => {
    const body = { code: 'Failed', message: '积分不足', data: null };
    server.respondWith({ body });
    const error = await rejectionOf(client().getMemberInfo());
    expect((error as object).constructor).toBe(ApiCallError);
    expect((error as ApiCallError).message).toContain('积分不足');
    expect((error as ApiCallError).status).toBe(200);
    expectNoSecret(error, secret);
  });

  it('without a message names the envelope code', async () => {
    server.respondWith({ body: { code: 'Failed', message: '', data: null } });
    const error = await rejectionOf(client().getMemberInfo());
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).message).toContain('envelope code "Failed"');
    expectNoSecret(error, secret);
  });
});

describe('an unusable success', () => {
  it('the published example that is not valid JSON is an InvalidResponseError keeping the raw text', async () => {
    expect(() => JSON.parse(publishedUnparsableExample)).toThrow(SyntaxError);
    server.respondWith({ body: publishedUnparsableExample });
    const error = await rejectionOf(client().getMemberInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    const invalid = error as InvalidResponseError;
    expect(invalid.message).toContain('not valid JSON');
    expect(invalid.rawBody).toBe(publishedUnparsableExample);
    expect(invalid.body).toBeUndefined();
    expect(invalid.status).toBe(200);
    expectNoSecret(error, secret);
  });

  it('a field of the wrong type is an InvalidResponseError naming its JSON path', async () => {
    server.respondWith({ body: success({ ...memberInfo, totalPoints: '50000' }) });
    const error = await rejectionOf(client().getMemberInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    const invalid = error as InvalidResponseError;
    expect(invalid.path).toBe('$.data.totalPoints');
    expect(invalid.message).toContain('$.data.totalPoints');
    expect(invalid.message).toContain('number');
    expect(invalid.body).toEqual(success({ ...memberInfo, totalPoints: '50000' }));
    expectNoSecret(error, secret);
  });

  it('a Success envelope without data is an InvalidResponseError at $.data', async () => {
    server.respondWith({ body: success(null) });
    const error = await rejectionOf(client().getMemberInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.data');
    expectNoSecret(error, secret);
  });

  it('an HTML error page under 502 is a ServerError keeping the page', async () => {
    const page = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    server.respondWith({ status: 502, headers: { 'content-type': 'text/html' }, body: page });
    const error = await rejectionOf(client({ maxRetries: 0 }).getMemberInfo());
    expect((error as object).constructor).toBe(ServerError);
    expect((error as ServerError).rawBody).toBe(page);
    expect((error as ServerError).body).toBeUndefined();
    expectNoSecret(error, secret);
  });

  it('an HTML page under 200 is an InvalidResponseError', async () => {
    server.respondWith({ headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' });
    const error = await rejectionOf(client().getMemberInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).message).toContain('text/html');
    expectNoSecret(error, secret);
  });
});

describe('an evolving API ("Developing")', () => {
  it('accepts an unknown plan name, member type and status', async () => {
    const data = {
      ...memberInfo,
      memberType: 'enterprise',
      payType: 'wechat',
      periodType: 'quarter',
      status: 'paused',
    };
    server.respondWith({ body: success(data) });
    await expect(client().getMemberInfo()).resolves.toMatchObject({
      memberType: 'enterprise',
      payType: 'wechat',
      periodType: 'quarter',
      status: 'paused',
    });
  });

  it('accepts unknown fields in the envelope and in data', async () => {
    server.respondWith({ body: { ...success({ ...memberInfo, bonusPoints: 12, region: 'cn' }), traceId: 'abc' } });
    await expect(client().getMemberInfo()).resolves.toMatchObject(memberInfo);
  });

  it('accepts a MemberInfo with none of the (all optional) fields', async () => {
    server.respondWith({ body: success({}) });
    await expect(client().getMemberInfo()).resolves.toEqual({});
  });
});

describe('the request', () => {
  it('carries the key in the `token` header only', async () => {
    server.respondWith({ body: success(memberInfo) });
    await client().getMemberInfo();
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/api/v1/member/info');
    expect(request?.headers['token']).toBe(secret);
    expect(request?.headers['authorization']).toBeUndefined();
  });
});

describe('an envelope that lacks fields the spec requires', () => {
  it('without message (no part of a balance): the balance, and a note naming it', async () => {
    server.respondWith({ body: { code: 'Success', data: memberInfo } });
    const balance = await client().getBalance();
    expect(balance.remaining).toBe(37170);
    expect(balance.notes).toEqual(['the answer lacks $.message, which the spec requires but the balance does not use']);
  });

  it('the typed raw getMemberInfo() still requires it, naming the envelope it nearly matched', async () => {
    server.respondWith({ body: { code: 'Success', data: memberInfo } });
    const error = await rejectionOf(client().getMemberInfo());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toContain(
      '$.message: required property is missing (nearest match: SuccessEnvelope)',
    );
  });

  it('without code (which says the call worked): an invalid response naming the Success envelope, not `data: null`', async () => {
    // The Failed envelope's issue (`data` must be null) lies deeper than the Success one's; the
    // body is nearer the Success envelope (one issue, not two).
    server.respondWith({ body: { message: 'success', data: memberInfo } });
    const error = await rejectionOf(client().getBalance());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.code');
    expect((error as InvalidResponseError).reason).toContain(
      '$.code: required property is missing (nearest match: SuccessEnvelope)',
    );
  });
});
