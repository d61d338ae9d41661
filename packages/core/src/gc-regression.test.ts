import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TimeoutError, UserAbortError } from './index.js';
import { createTestClient, rejectionOf } from './testing/test-provider.js';

// undici's Request follows its signal through weak references: once the Request handed to `fetch`
// is unreachable, a garbage collection cuts the link and the abort never arrives. The transport must
// keep each attempt's Request alive, or a GC mid-request disarms the timeout and the caller's signal.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: TestServer;
let collector: ReturnType<typeof setInterval> | undefined;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  clearInterval(collector);
  await server.close();
});

function collectGarbageContinuously(): void {
  collector = setInterval(() => gc(), 10);
}

// Without the fix each request would wait for the 30 s answer; the bound is generous so that a busy
// machine cannot fail the test, and far below what a lost abort costs.
describe('aborts survive garbage collection', { timeout: 20_000 }, () => {
  it('the timeout still fires', async () => {
    server.respondWith({ delayMs: 30_000, body: { balance: 1 } });
    const { getBalance } = createTestClient(server, { timeout: 1_000, maxRetries: 1 });
    collectGarbageContinuously();
    const started = Date.now();
    const error = await rejectionOf(getBalance());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('the timeout still fires while the body trickles', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"balance": ');
    });
    const { getBalance } = createTestClient(server, { timeout: 1_000, maxRetries: 0 });
    collectGarbageContinuously();
    const started = Date.now();
    expect(await rejectionOf(getBalance())).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("the caller's signal still aborts", async () => {
    server.respondWith({ delayMs: 30_000, body: { balance: 1 } });
    const { getBalance } = createTestClient(server);
    const controller = new AbortController();
    collectGarbageContinuously();
    const started = Date.now();
    const pending = rejectionOf(getBalance({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toBeInstanceOf(UserAbortError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
