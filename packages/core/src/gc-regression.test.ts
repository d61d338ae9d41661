import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { fetchNotingHeaders, manualClock, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { TimeoutError, UserAbortError } from './index.js';
import { createTestClient, rejectionOf } from './testing/test-provider.js';

// undici's Request follows its signal through weak references: once the Request handed to `fetch`
// is unreachable, a garbage collection cuts the link and the abort never arrives. The transport must
// keep each attempt's Request alive, or a GC mid-request disarms the timeout and the caller's signal.
//
// Each case lets the request reach the server, collects garbage while it is in flight, and only then
// fires the timeout (through the injected clock) or aborts: no real deadline races the machine. Without
// the fix the abort is lost and the call waits for the server's 30 s answer, past the test's limit.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Collects garbage a few times over several turns of the event loop, as a busy process would. */
async function collectGarbage(): Promise<void> {
  for (let round = 0; round < 5; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('aborts survive garbage collection', () => {
  it('the timeout still fires', async () => {
    server.respondWith({ delayMs: 30_000, body: { balance: 1 } });
    const time = manualClock();
    const { getBalance } = createTestClient(server, { timeout: 1_000, maxRetries: 1 }, time.clock);
    const pending = rejectionOf(getBalance());
    for (let attempt = 1; attempt <= 2; attempt++) {
      await until(() => server.requests.length === attempt);
      await collectGarbage();
      time.advance(1_000);
    }
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('the timeout still fires while the body trickles', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"balance": ');
    });
    const time = manualClock();
    const noting = fetchNotingHeaders();
    const { getBalance } = createTestClient(
      server,
      {
        timeout: 1_000,
        maxRetries: 0,
        fetch: noting.fetch,
      },
      time.clock,
    );
    const pending = rejectionOf(getBalance());
    await noting.headersArrived;
    await collectGarbage();
    time.advance(1_000);
    expect(await pending).toBeInstanceOf(TimeoutError);
  });

  it("the caller's signal still aborts", async () => {
    server.respondWith({ delayMs: 30_000, body: { balance: 1 } });
    const { getBalance } = createTestClient(server);
    const controller = new AbortController();
    const pending = rejectionOf(getBalance({ signal: controller.signal }));
    await until(() => server.requests.length === 1);
    await collectGarbage();
    controller.abort();
    expect(await pending).toBeInstanceOf(UserAbortError);
  });
});
