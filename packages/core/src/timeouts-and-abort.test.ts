import { manualClock, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AiCreditsError, ConnectionError, TimeoutError, UserAbortError } from './index.js';
import { systemClock } from './provider-utils.js';
import { createTestClient, expectNoSecret, nextResponseHeaders, rejectionOf } from './testing/test-provider.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const ok = { body: { balance: 42 } };

/** Waits for `condition`; the test's own limit is the guard against a hang. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

// The timeouts run on an injected clock: each case waits for the request to reach the server (or its
// headers to arrive), then moves time past the timeout. A busy machine can slow a case, never flip it.
describe('timeouts', () => {
  it('times out every attempt of a slow server and retries once', async () => {
    server.respondWith({ delayMs: 30_000, body: { balance: 1 } });
    const time = manualClock();
    const { getBalance } = createTestClient(server, { timeout: 1_000, maxRetries: 1 }, time.clock);
    const pending = rejectionOf(getBalance());
    await until(() => server.requests.length === 1);
    time.advance(999);
    expect(server.requests).toHaveLength(1);
    time.advance(1);
    await until(() => server.requests.length === 2);
    time.advance(1_000);
    const error = await pending;

    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(TimeoutError);
    // A timeout is a kind of connection failure.
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ConnectionError);
    const timeout = error as TimeoutError;
    expect(timeout.timeoutMs).toBe(1_000);
    expect(timeout.attempts).toBe(2);
    expect(timeout.message).toContain('within 1000 ms');
    expect(server.requests).toHaveLength(2);
    expect(time.timers).toEqual([1_000, 1_000]);
    expect(time.waits).toEqual([500]);
    expectNoSecret(error);
  });

  it('lets a call override the client timeout', async () => {
    server.respondWith({ delayMs: 30_000, body: { balance: 1 } });
    const time = manualClock();
    const { getBalance } = createTestClient(server, { timeout: 30_000, maxRetries: 0 }, time.clock);
    const pending = rejectionOf(getBalance({ timeout: 1_000 }));
    await until(() => server.requests.length === 1);
    time.advance(1_000);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(1_000);
    expect(time.timers).toEqual([1_000]);
    expect(server.requests).toHaveLength(1);
  });

  it('covers the whole body, not just the headers', async () => {
    let closed!: Promise<void>;
    server.handle((request, response) => {
      closed = new Promise((resolve) => request.socket.on('close', () => resolve()));
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"balance": ');
      // ...and the rest never comes.
    });
    const time = manualClock();
    const { getBalance } = createTestClient(server, { timeout: 1_000, maxRetries: 0 }, time.clock);
    const headersIn = nextResponseHeaders();
    const pending = rejectionOf(getBalance());
    await headersIn;
    // The timer is still armed while the body is read.
    expect(time.armed()).toBe(1);
    time.advance(1_000);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expectNoSecret(error);
    expect(server.requests).toHaveLength(1);
    // The half-read connection is closed, not left to the pool or open.
    await closed;
  });

  it('succeeds when the answer arrives in time, and disarms the timer', async () => {
    server.respondWith({ delayMs: 20, ...ok });
    const time = manualClock();
    const { getBalance } = createTestClient(server, { timeout: 2_000 }, time.clock);
    await expect(getBalance()).resolves.toEqual(ok.body);
    expect(time.timers).toEqual([2_000]);
    expect(time.armed()).toBe(0);
  });

  it('fires on the real clock too', async () => {
    // No bound on how long it takes: only that a server that never answers ends in a TimeoutError.
    server.respondWith({ delayMs: 30_000, body: { balance: 1 } });
    const { getBalance } = createTestClient(server, { timeout: 50, maxRetries: 0 }, systemClock);
    expect(await rejectionOf(getBalance())).toBeInstanceOf(TimeoutError);
  });
});

describe("the caller's AbortSignal", () => {
  it('aborts a request in flight, without retrying', async () => {
    server.respondWith({ delayMs: 30_000, ...ok });
    const { getBalance, waits } = createTestClient(server);
    const controller = new AbortController();
    const pending = rejectionOf(getBalance({ signal: controller.signal }));
    await until(() => server.requests.length === 1);
    controller.abort();
    const error = await pending;

    expect(UserAbortError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(error).toBeInstanceOf(AiCreditsError);
    expect(TimeoutError.isInstance(error)).toBe(false);
    expect((error as UserAbortError).message).toContain('aborted by the caller');
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expectNoSecret(error);
  });

  it('refuses to start with a signal that is already aborted', async () => {
    server.respondWith(ok);
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance({ signal: AbortSignal.abort() }));
    expect(UserAbortError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps the reason the caller gave as the cause', async () => {
    server.respondWith(ok);
    const { getBalance } = createTestClient(server);
    const reason = new Error('user navigated away');
    const error = await rejectionOf(getBalance({ signal: AbortSignal.abort(reason) }));
    expect(error).toBeInstanceOf(UserAbortError);
    expect((error as UserAbortError).cause).toBe(reason);
  });

  it('aborts a retry wait (injected sleep that rejects through the signal)', async () => {
    server.respondWith({ status: 503 }, ok);
    const controller = new AbortController();
    const waits: number[] = [];
    const { getBalance } = createTestClient(
      server,
      {},
      {
        sleep: (milliseconds, signal) =>
          new Promise((_resolve, reject) => {
            waits.push(milliseconds);
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            setTimeout(() => controller.abort(), 10);
          }),
      },
    );
    const error = await rejectionOf(getBalance({ signal: controller.signal }));
    expect(error).toBeInstanceOf(UserAbortError);
    expect(waits).toEqual([500]);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a long Retry-After wait on the real clock', async () => {
    server.respondWith({ status: 429, headers: { 'retry-after': '30' } }, ok);
    const controller = new AbortController();
    const { getBalance } = createTestClient(
      server,
      {
        // The log entry of the 429 comes right before the wait starts.
        debug: (entry) => {
          if (entry.retryInMs !== undefined) setTimeout(() => controller.abort(), 50);
        },
      },
      systemClock,
    );
    const started = Date.now();
    const error = await rejectionOf(getBalance({ signal: controller.signal }));
    expect(UserAbortError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(server.requests).toHaveLength(1);
    // Far below the 30 s the server asked to wait: the abort cut the wait short.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('also aborts the raw client through its own signal option', async () => {
    server.respondWith({ delayMs: 30_000, ...ok });
    const { api } = createTestClient(server);
    const controller = new AbortController();
    const pending = rejectionOf(api.client.GET('/v1/balance', { signal: controller.signal }));
    await until(() => server.requests.length === 1);
    controller.abort();
    expect(await pending).toBeInstanceOf(UserAbortError);
    expect(server.requests).toHaveLength(1);
  });
});
