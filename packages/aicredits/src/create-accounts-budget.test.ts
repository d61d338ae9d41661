import type { ServerResponse } from 'node:http';
import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, describe, expect, it } from 'vitest';
import { TimeoutError, UserAbortError, type AccountConfig, type BalanceFailure, type BalanceResult } from './index.js';
import { createAccounts } from './create-accounts.js';
import { imagineProAccountInfo } from './testing/fixtures.js';

const apiKey = 'sk-budget-test-KEY-0123456789';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function server(): Promise<TestServer> {
  const started = await startTestServer();
  servers.push(started);
  return started;
}

function imaginePro(baseURL: string, label: string): AccountConfig {
  return { provider: 'imaginepro', label, apiKey, baseURL };
}

function errorNames(results: readonly BalanceResult[]): string[] {
  return results.map((result) => (result.ok ? 'ok' : result.error.name));
}

describe('bounded concurrency', { timeout: 30_000 }, () => {
  it('never has more than `concurrency` requests open on the server, and fans out up to it', async () => {
    const delayMs = 250;
    const api = await server();
    let open = 0;
    let maxOpen = 0;
    api.handle((_request, response: ServerResponse) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      const timer = setTimeout(() => {
        open--;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(imagineProAccountInfo));
      }, delayMs);
      response.on('close', () => clearTimeout(timer));
    });
    const accounts = Array.from({ length: 12 }, (_, index) => imaginePro(api.url, `account-${index}`));

    const started = performance.now();
    const results = await createAccounts({ accounts, concurrency: 4 }).balances();
    const elapsed = performance.now() - started;

    expect(errorNames(results)).toEqual(Array(12).fill('ok'));
    expect(results.map((result) => result.account)).toEqual(accounts.map((account) => account.label));
    expect(api.requests).toHaveLength(12);
    expect(maxOpen).toBeLessThanOrEqual(4);
    // Fanned out: normally exactly 4; more than one even if this machine stalls for a moment.
    expect(maxOpen).toBeGreaterThan(1);
    // 12 accounts, 4 at a time: at least three rounds of `delayMs` (a little slack for timer rounding)...
    expect(elapsed).toBeGreaterThanOrEqual(3 * delayMs - 20);
    // Not one after the other: `maxOpen` above proves the fan-out without a wall-clock bound.
  });

  it('concurrency 1 runs the accounts one at a time', async () => {
    const api = await server();
    let open = 0;
    let maxOpen = 0;
    api.handle((_request, response) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      setTimeout(() => {
        open--;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(imagineProAccountInfo));
      }, 20);
    });
    const accounts = Array.from({ length: 4 }, (_, index) => imaginePro(api.url, `account-${index}`));
    const results = await createAccounts({ accounts, concurrency: 1 }).balances();
    expect(errorNames(results)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(maxOpen).toBe(1);
  });
});

describe('per-account time budget', { timeout: 30_000 }, () => {
  it('a server that never answers fails that account with a TimeoutError, well before its 10 s delay', async () => {
    const silent = await server();
    silent.respondWith({ delayMs: 10_000, body: imagineProAccountInfo });

    const started = performance.now();
    const results = await createAccounts({
      accounts: [imaginePro(silent.url, 'silent')],
      accountTimeout: 200,
      settings: { maxRetries: 0, timeout: 5000 },
    }).balances();
    const elapsed = performance.now() - started;

    expect(errorNames(results)).toEqual(['TimeoutError']);
    const { error } = results[0] as BalanceFailure;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'imaginepro', timeoutMs: 200 });
    expect(error.message).toContain(silent.url);
    expect(elapsed).toBeLessThan(5000);
  });

  it('the budget starts when the account gets its slot, not while it waits for one; others are fine', async () => {
    const api = await server();
    // The first request hangs, the second answers after 100 ms.
    api.respondWith({ delayMs: 10_000, body: imagineProAccountInfo }, { delayMs: 100, body: imagineProAccountInfo });
    const results = await createAccounts({
      accounts: [imaginePro(api.url, 'hangs'), imaginePro(api.url, 'queued')],
      concurrency: 1,
      accountTimeout: 1000,
      settings: { maxRetries: 0 },
    }).balances();
    // The queued account waited ~1 s for its slot, then had its own 1 s for a 100 ms answer.
    expect(errorNames(results)).toEqual(['TimeoutError', 'ok']);
  });

  it('retries happen within the budget', async () => {
    const api = await server();
    api.respondWith({ status: 503, body: { message: 'busy', statusCode: 503 } });
    const started = performance.now();
    const results = await createAccounts({
      accounts: [imaginePro(api.url, 'busy')],
      accountTimeout: 300,
      // The second retry would wait ~1 s: the budget ends first.
      settings: { maxRetries: 5 },
    }).balances();
    expect(errorNames(results)).toEqual(['TimeoutError']);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("the caller's signal", { timeout: 30_000 }, () => {
  it('aborting fails the pending accounts (in flight and queued) with UserAbortError', async () => {
    const slow = await server();
    slow.respondWith({ delayMs: 10_000, body: imagineProAccountInfo });
    const fast = await server();
    fast.respondWith({ body: imagineProAccountInfo });
    const controller = new AbortController();
    const seen: BalanceResult[] = [];

    const started = performance.now();
    const pending = createAccounts({
      accounts: [
        imaginePro(fast.url, 'fast'),
        imaginePro(slow.url, 'slow-1'),
        imaginePro(slow.url, 'slow-2'),
        imaginePro(slow.url, 'slow-3'),
      ],
      concurrency: 2,
      settings: { maxRetries: 0 },
    }).balances({
      signal: controller.signal,
      onResult: (result) => {
        seen.push(result);
      },
    });
    // Abort once the slow server holds two requests (slow-3 still waits for a slot).
    await expect.poll(() => slow.requests.length, { timeout: 5000, interval: 10 }).toBe(2);
    controller.abort();
    const results = await pending;

    expect(errorNames(results)).toEqual(['ok', 'UserAbortError', 'UserAbortError', 'UserAbortError']);
    for (const result of results.slice(1)) {
      expect(UserAbortError.isInstance((result as BalanceFailure).error)).toBe(true);
    }
    expect(seen).toHaveLength(4);
    expect(slow.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('an already aborted signal fails every account without a request', async () => {
    const api = await server();
    api.respondWith({ body: imagineProAccountInfo });
    const results = await createAccounts({
      accounts: [
        imaginePro(api.url, 'a'),
        { provider: 'pixverse', label: 'team', apiKey, baseURL: api.url, allAccounts: true },
      ],
    }).balances({ signal: AbortSignal.abort() });
    expect(errorNames(results)).toEqual(['UserAbortError', 'UserAbortError']);
    expect(api.requests).toHaveLength(0);
  });
});
