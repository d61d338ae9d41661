import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { MockLogger } from './mock-logger.js';
import { MockOptionsError } from './mock-options-error.js';
import { adminPrefix } from './provider-server.js';
import { type MockServers, startMockServers } from './start-mock-servers.js';
import { repositorySpecsDirectory } from './test-support/spec-operations.js';

const dayMs = 86_400_000;
const credential = 'sk-qa-SECRET-0123456789';
const pixverseAuth = { authorization: `Bearer ${credential}` };
const paths = {
  pixverse: '/v2/pixverse/features/',
  imaginepro: '/api/v1/subscription/account-info',
  crowdcomputed: '/api/v1/member/info',
  iqqz: '/v1/dashboard/billing/subscription',
  iqqzUsage: '/v1/dashboard/billing/usage',
} as const;

/** A clock the tests move by hand. */
function manualClock(start: number) {
  let now = start;
  return { now: () => now, advance: (milliseconds: number) => (now += milliseconds) };
}

const clock = manualClock(Date.parse('2031-05-20T12:00:00Z'));
const lines: string[] = [];
const logger: MockLogger = {
  debug: (line) => lines.push(line),
  info: (line) => lines.push(line),
  warn: (line) => lines.push(line),
  error: (line) => lines.push(line),
};
let servers: MockServers;

beforeAll(async () => {
  servers = await startMockServers({
    specsDirectory: repositorySpecsDirectory,
    scenarios: { imaginepro: 'no-extra' },
    drain: { pixverse: { amount: 100 }, crowdcomputed: { amount: 500, everyMs: 60_000 } },
    dates: 'current',
    clock,
    logger,
  });
});

afterAll(async () => {
  await servers?.close();
});

afterEach(() => {
  for (const provider of ['pixverse', 'iqqz', 'crowdcomputed'] as const) servers.setScenario(provider, 'default');
  servers.setScenario('imaginepro', 'no-extra');
  servers.reset();
  servers.clearJournal();
});

function get(provider: keyof typeof servers.urls, requestPath: string, headers: Record<string, string> = {}) {
  const authentication: Record<string, string> =
    provider === 'crowdcomputed' ? { token: credential } : { authorization: `Bearer ${credential}` };
  return fetch(`${servers.urls[provider]}${requestPath}`, { headers: { ...authentication, ...headers } });
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

function admin(provider: keyof typeof servers.urls, adminPath: string, init?: RequestInit): Promise<Response> {
  return fetch(`${servers.urls[provider]}${adminPrefix}${adminPath}`, init);
}

describe('scenarios', () => {
  it('start a provider in a named state, so the app under test needs no special header', async () => {
    const body = await json(await get('imaginepro', paths.imaginepro));
    expect(body).toMatchObject({ credits: 1240, creditsExtra: 0, creditsQuota: 1600 });
    expect(servers.state('imaginepro')).toMatchObject({ scenario: 'no-extra', position: 1 });
  });

  it('switch at run time through the API and through PUT/DELETE on the admin endpoint', async () => {
    servers.setScenario('pixverse', 'low-credits');
    expect(await json(await get('pixverse', paths.pixverse))).toMatchObject({ credit_monthly: 15 });

    const put = await admin('iqqz', '/scenario', { method: 'PUT', body: 'unlimited' });
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({ provider: 'iqqz', scenario: 'unlimited', position: 0 });
    expect(await json(await get('iqqz', paths.iqqz))).toMatchObject({ hard_limit_usd: 100000000 });
    // The same name picks the same-named example of the other operation too.
    expect(await json(await get('iqqz', paths.iqqzUsage))).toMatchObject({ total_usage: 4817.5 });

    const cleared = await admin('iqqz', '/scenario', { method: 'DELETE' });
    expect(await json(cleared)).toMatchObject({ scenario: 'default' });
    expect(await json(await get('iqqz', paths.iqqz))).toMatchObject({ hard_limit_usd: 5 });
  });

  it('include revoked-key (the spec’s 401) and one per declared status', async () => {
    servers.setScenario('crowdcomputed', 'revoked-key');
    const revoked = await get('crowdcomputed', paths.crowdcomputed);
    expect(revoked.status).toBe(401);
    servers.setScenario('pixverse', 'status-596');
    const broken = await get('pixverse', paths.pixverse);
    expect(broken.status).toBe(596);
    expect(await json(broken)).toMatchObject({ code: 596 });
  });

  it('reject an unknown name, listing the known ones, from the API, the admin endpoint and at start', async () => {
    expect(() => servers.setScenario('pixverse', 'bankrupt')).toThrow(MockOptionsError);
    expect(() => servers.setScenario('pixverse', 'bankrupt')).toThrow(
      /Unknown scenario "bankrupt" for pixverse; known: default, .*low-credits/,
    );
    const put = await admin('pixverse', '/scenario', { method: 'PUT', body: 'bankrupt' });
    expect(put.status).toBe(400);
    expect(await json(put)).toMatchObject({ error: expect.stringContaining('low-credits') });
    await expect(
      startMockServers({
        specsDirectory: repositorySpecsDirectory,
        providers: ['iqqz'],
        scenarios: { iqqz: 'bankrupt' },
      }),
    ).rejects.toThrow(MockOptionsError);
    expect(servers.state('pixverse').scenario).toBe('default');
  });

  it('can be chosen for one request with Prefer: scenario=<name>, leaving the server-wide one alone', async () => {
    servers.setScenario('pixverse', 'rate-limited,default');
    const one = await get('pixverse', paths.pixverse, { prefer: 'scenario=html-error-page' });
    expect(one.status).toBe(502);
    expect(servers.state('pixverse').position).toBe(0);
  });
});

describe('sequences', () => {
  it('answer 429 with Retry-After, then 503, then the example, and keep the last step', async () => {
    servers.setScenario('pixverse', 'rate-limited,unavailable,default');
    const first = await get('pixverse', paths.pixverse);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '1']);
    await first.body?.cancel();
    const second = await get('pixverse', paths.pixverse);
    expect(second.status).toBe(503);
    await second.body?.cancel();
    for (let index = 0; index < 2; index++) {
      const settled = await get('pixverse', paths.pixverse);
      expect(settled.status).toBe(200);
      expect(await json(settled)).toMatchObject({ plan_name: 'Pro Plan' });
    }
    expect(servers.journal('pixverse').map((entry) => entry.status)).toEqual([429, 503, 200, 200]);
  });

  it('take steps with times, headers and statuses the spec does not declare; reset restarts them', async () => {
    servers.setScenario('iqqz', {
      sequence: [{ status: 429, headers: { 'retry-after': '7' }, times: 2 }, { status: 504 }, 'fractional'],
    });
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      const response = await get('iqqz', paths.iqqz);
      statuses.push(response.status);
      if (response.status === 504) {
        // iqqz declares no 504: a small JSON body still says what happened.
        expect(await json(response)).toEqual({ message: 'Gateway Timeout (aicredits-mock scenario sequence)' });
      } else await response.body?.cancel();
    }
    expect(statuses).toEqual([429, 429, 504, 200]);
    await admin('iqqz', '/reset', { method: 'POST' });
    expect((await get('iqqz', paths.iqqz)).status).toBe(429);
  });

  it('reject steps that cannot work', () => {
    expect(() => servers.setScenario('iqqz', { status: 99 })).toThrow(/status must be an integer/);
    expect(() => servers.setScenario('iqqz', { sequence: [] })).toThrow(/non-empty/);
    expect(() => servers.setScenario('iqqz', { fault: 'meltdown' } as never)).toThrow(/fault must be one of/);
    expect(() => servers.setScenario('iqqz', { headers: { 'x-a': 'one\r\ntwo' } })).toThrow(/single-line/);
    expect(() => servers.setScenario('iqqz', { delayMs: -1 })).toThrow(/Delay/);
    expect(() => servers.setScenario('iqqz', { sequence: [{ times: 10_000 }, { times: 10_000 }] })).toThrow(
      /at most 10000 steps/,
    );
  });
});

describe('faults', () => {
  it('connection-reset: the client sees a reset connection and no status', async () => {
    servers.setScenario('pixverse', 'connection-reset');
    await expect(get('pixverse', paths.pixverse)).rejects.toThrow(/fetch failed/);
    expect(servers.journal('pixverse')[0]).toMatchObject({ status: null, answer: { fault: 'connection-reset' } });
  });

  it('invalid-json: 200, application/json, one comma missing', async () => {
    servers.setScenario('pixverse', 'invalid-json');
    const response = await get('pixverse', paths.pixverse);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/json']);
    const text = await response.text();
    expect(text).toMatch(/^\{"user_id":11223344 "member_id"/);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('html-error-page: 502 with a proxy’s HTML page', async () => {
    servers.setScenario('iqqz', 'html-error-page');
    const response = await get('iqqz', paths.iqqz);
    expect([response.status, response.headers.get('content-type')]).toEqual([502, 'text/html']);
    expect(await response.text()).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('slow-body: the whole body, in parts', async () => {
    servers.setScenario('imaginepro', 'slow-body');
    const response = await get('imaginepro', paths.imaginepro);
    const parts: number[] = [];
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parts.push(chunk.length);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.reduce((total, length) => total + length, 0)).toBe(Number(response.headers.get('content-length')));
  });

  it('truncated-body: half the promised bytes, then the connection closes', async () => {
    servers.setScenario('imaginepro', 'truncated-body');
    const response = await get('imaginepro', paths.imaginepro);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('empty-body: 200 and nothing', async () => {
    servers.setScenario('crowdcomputed', 'empty-body');
    const response = await get('crowdcomputed', paths.crowdcomputed);
    expect([response.status, await response.text()]).toEqual([200, '']);
  });
});

describe('delays', () => {
  it('are chosen per request with Prefer: delay=, fixed or random, and journaled', async () => {
    await (await get('iqqz', paths.iqqz, { prefer: 'delay=5' })).body?.cancel();
    await (await get('iqqz', paths.iqqz, { prefer: 'delay=2-4' })).body?.cancel();
    const [fixed, random] = servers.journal('iqqz');
    expect(fixed?.answer.delayMs).toBe(5);
    expect(random?.answer.delayMs).toBeGreaterThanOrEqual(2);
    expect(random?.answer.delayMs).toBeLessThanOrEqual(4);
    const invalid = await get('iqqz', paths.iqqz, { prefer: 'delay=soon' });
    expect(invalid.status).toBe(422);
    await invalid.body?.cancel();
  });

  it('are set per provider at start and do not hold close() open', async () => {
    const delayed = await startMockServers({ providers: ['iqqz'], delays: { iqqz: 60_000 } });
    const pending = fetch(`${delayed.urls.iqqz}${paths.iqqz}`, { headers: pixverseAuth }).then(
      () => 'answered',
      () => 'cut',
    );
    // Readiness, not time: wait until the server holds the request.
    while (delayed.state('iqqz').inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await delayed.close();
    expect(await pending).toBe('cut');
    await expect(startMockServers({ delays: { iqqz: { min: 5, max: 1 } } })).rejects.toThrow(/min <= max/);
  });
});

describe('credits that run down', () => {
  it('per balance request: each one after the first is lower by the amount; reset refills', async () => {
    const remaining = async () => {
      const body = await json(await get('pixverse', paths.pixverse));
      return [body['credit_daily'], body['credit_monthly'], body['credit_package']];
    };
    expect(await remaining()).toEqual([30, 5600, 20]);
    expect(await remaining()).toEqual([0, 5530, 20]);
    expect(await remaining()).toEqual([0, 5430, 20]);
    expect(servers.state('pixverse').drained).toBe(300);
    servers.reset('pixverse');
    expect(await remaining()).toEqual([30, 5600, 20]);
    expect(servers.journal('pixverse').map((entry) => entry.answer.drained)).toEqual([0, 100, 200, 0]);
  });

  it('per clock tick: the injected clock drives it, used points follow, reset through the admin endpoint', async () => {
    servers.setScenario('crowdcomputed', 'professional');
    const data = async () =>
      (await json(await get('crowdcomputed', paths.crowdcomputed)))['data'] as Record<string, number>;
    const before = await data();
    expect(await data()).toEqual(before);
    clock.advance(2.5 * 60_000);
    const after = await data();
    expect(after['currentTemporaryPoints']).toBe((before['currentTemporaryPoints'] ?? 0) - 1000);
    expect(after['usedPoints']).toBe((before['usedPoints'] ?? 0) + 1000);
    expect(after['currentPermanentPoints']).toBe(before['currentPermanentPoints']);
    await admin('crowdcomputed', '/reset', { method: 'POST' });
    expect(await data()).toEqual(before);
  });

  it('never go below zero, spending the parts in order', async () => {
    servers.setScenario('pixverse', 'low-credits');
    for (let index = 0; index < 3; index++) await (await get('pixverse', paths.pixverse)).body?.cancel();
    const body = await json(await get('pixverse', paths.pixverse));
    expect([body['credit_daily'], body['credit_monthly'], body['credit_package']]).toEqual([0, 0, 0]);
  });

  it('reject an amount that is not a positive number', async () => {
    await expect(startMockServers({ drain: { iqqz: { amount: 0 } } })).rejects.toThrow(/Drain amount for iqqz/);
    await expect(startMockServers({ drain: { iqqz: { amount: 1, everyMs: 0.5 } } })).rejects.toThrow(/Drain interval/);
  });
});

describe('current dates', () => {
  const today = new Date(clock.now()).toISOString().slice(0, 10);
  const inDays = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

  it('put renewals 30 days ahead of the start, keeping the time of day', async () => {
    const body = await json(await get('pixverse', paths.pixverse));
    expect(body['expired_date']).toBe(`${inDays(30)}T21:21:21Z`);
    expect(body['billing_renewal_date']).toBe(body['expired_date']);
  });

  it('keep the spacing of one example’s dates, epoch seconds included', async () => {
    servers.setScenario('crowdcomputed', 'professional');
    const data = (await json(await get('crowdcomputed', paths.crowdcomputed)))['data'] as Record<string, number>;
    // As written: points reset 2027-01-15, payment 2027-03-15 (59 days later).
    expect(new Date((data['nextPointsResetTime'] ?? 0) * 1000).toISOString().slice(0, 10)).toBe(inDays(30));
    expect(((data['nextPayTime'] ?? 0) - (data['nextPointsResetTime'] ?? 0)) / 86_400).toBe(59);
  });

  it('put an "expired" example 30 days in the past, and leave placeholders such as 0', async () => {
    servers.setScenario('imaginepro', 'expired');
    expect((await json(await get('imaginepro', paths.imaginepro)))['expiredAt']).toBe(`${inDays(-30)}T00:00:00.000Z`);
    const unsubscribed = await json(
      await get('crowdcomputed', paths.crowdcomputed, { prefer: 'example=unsubscribed' }),
    );
    expect(unsubscribed['data']).toMatchObject({ nextPayTime: 0, nextPointsResetTime: 0 });
  });

  it('are as written by default in the API', async () => {
    const asWritten = await startMockServers({ providers: ['pixverse'] });
    try {
      const response = await fetch(`${asWritten.urls.pixverse}${paths.pixverse}`, { headers: pixverseAuth });
      expect((await json(response))['expired_date']).toBe('2025-01-01T21:21:21Z');
    } finally {
      await asWritten.close();
    }
  });
});

describe('journal, health and admin paths', () => {
  it('lists method, path, query, redacted headers and the chosen answer; clears', async () => {
    servers.setScenario('pixverse', 'low-credits');
    await (
      await get('pixverse', `${paths.pixverse}?email=alice%40example.com&token=${credential}`, {
        'x-api-key': credential,
      })
    ).body?.cancel();
    const response = await admin('pixverse', '/journal');
    const text = await response.text();
    expect(text).not.toContain(credential);
    const { requests } = JSON.parse(text) as { requests: Array<Record<string, unknown>> };
    expect(requests).toEqual([
      {
        provider: 'pixverse',
        time: new Date(clock.now()).toISOString(),
        method: 'GET',
        path: paths.pixverse,
        query: { email: 'alice@example.com', token: '[redacted]' },
        headers: expect.objectContaining({ authorization: 'Bearer [redacted]', 'x-api-key': '[redacted]' }),
        answer: { scenario: 'low-credits', example: 'lowCredits', drained: 0 },
        status: 200,
      },
    ]);
    const cleared = await admin('pixverse', '/journal', { method: 'DELETE' });
    expect(await json(cleared)).toEqual({ requests: [] });
    expect(servers.journal('pixverse')).toEqual([]);
  });

  it('keeps only the latest journalSize requests, oldest first', async () => {
    const small = await startMockServers({ providers: ['iqqz'], journalSize: 2 });
    try {
      for (const status of ['401', '200', '401']) {
        await (
          await fetch(`${small.urls.iqqz}${paths.iqqz}?__code=${status}`, { headers: pixverseAuth })
        ).body?.cancel();
      }
      expect(small.journal().map((entry) => [entry.query['__code'], entry.status])).toEqual([
        ['200', 200],
        ['401', 401],
      ]);
    } finally {
      await small.close();
    }
  });

  it('the verbose log redacts credentials too', async () => {
    lines.length = 0;
    await (await get('pixverse', paths.pixverse)).body?.cancel();
    await (await get('crowdcomputed', paths.crowdcomputed)).body?.cancel();
    expect(lines.some((line) => /authorization: Bearer \[redacted\]/.test(line))).toBe(true);
    expect(lines.some((line) => /token: \[redacted\]/.test(line))).toBe(true);
    expect(lines.join('\n')).not.toContain(credential);
  });

  it('health answers on every provider, unknown admin paths list the endpoints, admin requests are not journaled', async () => {
    for (const provider of Object.keys(servers.urls) as Array<keyof typeof servers.urls>) {
      const health = await admin(provider, '/health');
      expect(await json(health)).toMatchObject({ status: 'ok', provider });
    }
    const unknown = await admin('iqqz', '/frobnicate');
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ endpoints: expect.arrayContaining([`GET ${adminPrefix}/journal`]) });
    expect(servers.journal()).toEqual([]);
  });

  it('a spec with a path under the admin prefix is refused at start', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'aicredits-mock-specs-'));
    try {
      cpSync(repositorySpecsDirectory, directory, { recursive: true });
      writeFileSync(
        path.join(directory, 'iqqz.yaml'),
        `openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths:\n  ${adminPrefix}/health:\n    get:\n      responses:\n        '200': { description: ok }\n`,
      );
      await expect(startMockServers({ specsDirectory: directory, providers: ['iqqz'] })).rejects.toThrow(
        /iqqz: spec file .*iqqz\.yaml has the path \/__aicredits\/health, under the mock's admin prefix/,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
