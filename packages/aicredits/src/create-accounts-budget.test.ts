import type { ServerResponse } from 'node:http';

import { withClock } from '@aicredits/core/provider-utils';
import { manualClock, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, describe, expect, it } from 'vitest';

import { createAccounts } from './create-accounts.js';
import {
  type AccountConfig,
  type BalanceFailure,
  type BalanceResult,
  builtInProviders,
  type ProviderModule,
  TimeoutError,
  UserAbortError,
} from './index.js';
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

/** Waits for `condition`; the test's own limit is the guard against a hang. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function errorNames(results: readonly BalanceResult[]): string[] {
  return results.map((result) => (result.ok ? 'ok' : result.error.name));
}

describe('bounded concurrency', () => {
  it('never has more than `concurrency` requests open on the server, and fans out up to it', async () => {
    const api = await server();
    const total = 12;
    const held: ServerResponse[] = [];
    let answered = 0;
    let maxOpen = 0;
    // The server answers only once it holds a full round of requests (or the last, smaller one): a
    // client that did not fan out would never get an answer, whatever the machine's speed.
    api.handle((_request, response: ServerResponse) => {
      held.push(response);
      maxOpen = Math.max(maxOpen, held.length);
      if (held.length < Math.min(4, total - answered)) return;
      for (const waiting of held.splice(0)) {
        answered++;
        waiting.writeHead(200, { 'content-type': 'application/json' });
        waiting.end(JSON.stringify(imagineProAccountInfo));
      }
    });
    const accounts = Array.from({ length: total }, (_, index) => imaginePro(api.url, `account-${index}`));

    const results = await createAccounts({ accounts, concurrency: 4 }).balances();

    expect(errorNames(results)).toEqual(Array(total).fill('ok'));
    expect(results.map((result) => result.account)).toEqual(accounts.map((account) => account.label));
    expect(api.requests).toHaveLength(total);
    expect(maxOpen).toBe(4);
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

// The budget runs on the injected clock: a case waits until the request is on the server, then moves
// time past the budget. A loaded machine can slow a case down, never change its verdict.
describe('per-account time budget', () => {
  it('a server that never answers fails that account with a TimeoutError when the budget runs out', async () => {
    const silent = await server();
    silent.respondWith({ delayMs: 60_000, body: imagineProAccountInfo });
    const time = manualClock();

    const pending = createAccounts({
      accounts: [imaginePro(silent.url, 'silent')],
      accountTimeout: 200,
      settings: withClock({ maxRetries: 0, timeout: 5000 }, time.clock),
    }).balances();
    await until(() => silent.requests.length === 1);
    time.advance(199);
    time.advance(1);
    const results = await pending;

    expect(errorNames(results)).toEqual(['TimeoutError']);
    const { error } = results[0] as BalanceFailure;
    expect(TimeoutError.isInstance(error)).toBe(true);
    // The budget's error, not the 5 s per-attempt timeout's.
    expect(error).toMatchObject({ provider: 'imaginepro', timeoutMs: 200 });
    expect(error.message).toContain(silent.url);
    expect(error.message).toContain('accountTimeout');
    // Nothing is left armed to keep a CLI process alive.
    expect(time.armed()).toBe(0);
  });

  it('the budget starts when the account gets its slot, not while it waits for one; others are fine', async () => {
    const api = await server();
    // The first request hangs, the second answers at once.
    api.respondWith({ delayMs: 60_000, body: imagineProAccountInfo }, { body: imagineProAccountInfo });
    const time = manualClock();
    const pending = createAccounts({
      accounts: [imaginePro(api.url, 'hangs'), imaginePro(api.url, 'queued')],
      concurrency: 1,
      accountTimeout: 1000,
      settings: withClock({ maxRetries: 0 }, time.clock),
    }).balances();
    await until(() => api.requests.length === 1);
    // Only the first account's budget and its attempt's timeout are armed: the queued one has none yet.
    expect(time.armed()).toBe(2);
    time.advance(1000);
    const results = await pending;
    // Had the queued account's budget started while it waited, the same step would have ended it too.
    expect(errorNames(results)).toEqual(['TimeoutError', 'ok']);
  });

  it('retries happen within the budget: a wait that would outlast it is not made', async () => {
    const api = await server();
    api.respondWith({ status: 503, body: { message: 'busy', statusCode: 503 } });
    const time = manualClock();
    const results = await createAccounts({
      accounts: [imaginePro(api.url, 'busy')],
      accountTimeout: 300,
      settings: withClock(
        { maxRetries: 5 },
        {
          ...time.clock,
          // The first retry wait outlasts the budget: time moves on while the client waits.
          sleep: async (milliseconds, signal) => {
            time.waits.push(milliseconds);
            time.advance(milliseconds);
            if (signal.aborted) throw signal.reason;
          },
        },
      ),
    }).balances();
    // The server's own answer, not a timeout that loses it.
    expect(errorNames(results)).toEqual(['ServerError']);
    expect(api.requests).toHaveLength(1);
    expect(time.waits).toEqual([]);
  });
});

describe("the caller's signal", () => {
  it('aborting fails the pending accounts (in flight and queued) with UserAbortError', async () => {
    const slow = await server();
    slow.respondWith({ delayMs: 60_000, body: imagineProAccountInfo });
    const fast = await server();
    fast.respondWith({ body: imagineProAccountInfo });
    const controller = new AbortController();
    const seen: BalanceResult[] = [];

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
    await until(() => slow.requests.length === 2);
    controller.abort();
    const results = await pending;

    expect(errorNames(results)).toEqual(['ok', 'UserAbortError', 'UserAbortError', 'UserAbortError']);
    for (const result of results.slice(1)) {
      expect(UserAbortError.isInstance((result as BalanceFailure).error)).toBe(true);
    }
    expect(seen).toHaveLength(4);
    // Nobody waited for the 60 s answers, or they would be 'ok'.
    expect(slow.requests).toHaveLength(2);
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

describe('an account of one check', () => {
  it('has a full budget for its balance after a slow discovery, on the controller the discovery left unaborted', async () => {
    const time = manualClock();
    const signals: AbortSignal[] = [];
    let endDiscovery: (() => void) | undefined;
    const imagine = builtInProviders.find((module) => module.id === 'imaginepro')!;
    const slowDiscovery: ProviderModule = {
      ...imagine,
      id: 'slow-discovery',
      displayName: 'Slow discovery',
      checks: async ({ label, options }) => {
        signals.push(options.signal!);
        await new Promise<void>((resolve) => (endDiscovery = resolve));
        return [
          {
            label,
            fetch: ({ signal }) => {
              signals.push(signal!);
              return new Promise((_resolve, reject) =>
                signal!.addEventListener('abort', () => reject(new Error('balance aborted')), { once: true }),
              );
            },
          },
        ];
      },
    };

    const pending = createAccounts({
      providers: [slowDiscovery],
      accounts: [{ provider: 'slow-discovery', label: 'slow', apiKey }],
      accountTimeout: 200,
      settings: withClock({ maxRetries: 0 }, time.clock),
    } as never).balances();
    await until(() => endDiscovery !== undefined);
    time.advance(150);
    endDiscovery!();
    await until(() => signals.length === 2);
    // One controller for both steps: the discovery's, not aborted, its budget's timer re-armed.
    expect(signals[1]).toBe(signals[0]);
    time.advance(199);
    expect(signals[1]!.aborted).toBe(false);
    time.advance(1);
    const results = await pending;

    expect(signals[1]!.aborted).toBe(true);
    expect(results).toMatchObject([{ ok: false, account: 'slow', error: { message: 'balance aborted' } }]);
    expect(time.armed()).toBe(0);
  });

  it('a discovery cut off by its budget leaves no aborted controller to its balance check', async () => {
    const time = manualClock();
    const signals: AbortSignal[] = [];
    const imagine = builtInProviders.find((module) => module.id === 'imaginepro')!;
    const abortedDiscovery: ProviderModule = {
      ...imagine,
      id: 'aborted-discovery',
      displayName: 'Aborted discovery',
      checks: async ({ label, options }) => {
        signals.push(options.signal!);
        // The budget fires during discovery; a module that swallows the abort still gets its check run.
        await new Promise<void>((resolve) =>
          options.signal!.addEventListener('abort', () => resolve(), { once: true }),
        );
        return [
          {
            label,
            fetch: async ({ signal }) => {
              signals.push(signal!);
              return { remaining: 1 } as never;
            },
          },
        ];
      },
    };

    const pending = createAccounts({
      providers: [abortedDiscovery],
      accounts: [{ provider: 'aborted-discovery', label: 'cut', apiKey }],
      accountTimeout: 200,
      settings: withClock({ maxRetries: 0 }, time.clock),
    } as never).balances();
    await until(() => signals.length === 1);
    time.advance(200);
    await pending;

    expect(signals).toHaveLength(2);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]).not.toBe(signals[0]);
    expect(signals[1]!.aborted).toBe(false);
  });
});
