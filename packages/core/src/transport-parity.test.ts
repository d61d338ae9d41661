import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

import { manualClock, startTestServer, type TestServer } from '@aicredits/test-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  AiCreditsError,
  ApiCallError,
  AuthenticationError,
  ConnectionError,
  InvalidResponseError,
  TimeoutError,
  UserAbortError,
} from './index.js';
import {
  countRequestsStarted,
  createTestClient,
  expectNoSecret,
  nextResponseHeaders,
  rejectionOf,
  secret,
  transportUnderTest,
} from './testing/test-provider.js';

// What the Node transport must do exactly as fetch does. vitest.config.ts runs this file once per
// transport, so each case holds for both; the few that differ by design say so.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** The raw bytes of a response, written on the request's socket, then the socket closed. */
const rawResponse = (...parts: (string | Uint8Array)[]) =>
  server.handle((request) => {
    request.socket.end(Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))));
  });

/** Resolves when the socket of the next request the server receives closes. */
function nextSocketClosed(): { closed: Promise<void>; track(request: IncomingMessage): void } {
  let resolve!: () => void;
  const closed = new Promise<void>((done) => (resolve = done));
  return { closed, track: (request) => request.socket.once('close', () => resolve()) };
}

describe('the transport under test', () => {
  it(`is the one this run selects (${transportUnderTest})`, async () => {
    server.respondWith({ body: { balance: 1 } });
    const started = countRequestsStarted();
    try {
      await createTestClient(server).getBalance();
      expect(started.count).toBe(1);
    } finally {
      started.stop();
    }
  });

  it('sends the headers fetch sends, and the key', async () => {
    server.respondWith({ body: { balance: 1 } });
    const before = server.requests.length;
    await createTestClient(server).getBalance({ headers: { 'x-call': 'yes' } });
    const headers = server.requests[before]?.headers;
    expect(headers).toMatchObject({
      accept: '*/*',
      'accept-encoding': 'gzip, deflate',
      'accept-language': '*',
      'sec-fetch-mode': 'cors',
      'user-agent': 'node',
      connection: 'keep-alive',
      authorization: `Bearer ${secret}`,
      'x-call': 'yes',
    });
    expect(headers?.['content-length']).toBeUndefined();
  });

  it('sends a request body with its length, and its content type', async () => {
    const bodies: string[] = [];
    server.handle((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString());
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"balance": 2}');
      });
    });
    const { api } = createTestClient(server);
    const before = server.requests.length;
    const post = api.client as unknown as {
      POST(path: string, init: { body: unknown }): Promise<{ data: unknown; response: Response }>;
    };
    const { data } = await post.POST('/v1/balance', { body: { amount: 1 } });
    expect(data).toEqual({ balance: 2 });
    expect(bodies).toEqual(['{"amount":1}']);
    expect(server.requests[before]?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': '12',
    });
  });

  it('keeps the connection alive between calls', async () => {
    const sockets = new Set<Socket>();
    server.handle((request, response) => {
      sockets.add(request.socket);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"balance": 3}');
    });
    const { getBalance } = createTestClient(server);
    for (let call = 0; call < 5; call++) await getBalance();
    // undici may open a second connection before it has taken the first back into its pool.
    expect(sockets.size).toBeLessThanOrEqual(transportUnderTest === 'node' ? 1 : 2);
  });
});

describe('the response as the rest of the core reads it', () => {
  it('keeps a non-ASCII reason phrase as fetch decodes it (401 未授权)', async () => {
    rawResponse('HTTP/1.1 401 ', Buffer.from('未授权'), '\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect(AuthenticationError.isInstance(error), String(error)).toBe(true);
    expect((error as ApiCallError).message).toContain('未授权');
  });

  it('reads the request id, and repeated headers joined as Headers joins them', async () => {
    server.respondWith({ status: 400, headers: { 'x-request-id': 'req-123' }, body: { error: 'bad' } });
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect((error as ApiCallError).requestId).toBe('req-123');

    server.handle((_request, response) => {
      response.setHeader('x-request-id', ['a', 'b']);
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"error":"bad"}');
    });
    const repeated = await rejectionOf(createTestClient(server).getBalance());
    expect((repeated as ApiCallError).requestId).toBe('a, b');
  });

  it('gives the raw client a real Response, with the final URL after a redirect', async () => {
    server.respondWith({ status: 302, headers: { location: '/v2/balance' } }, { body: { balance: 4 } });
    const { api } = createTestClient(server);
    const { data, response } = await api.client.GET('/v1/balance');
    expect(data).toEqual({ balance: 4 });
    expect(response).toBeInstanceOf(Response);
    expect(response.url).toBe(`${server.url}/v2/balance`);
    expect(response.headers).toBeInstanceOf(Headers);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it("gives a user's middleware a real Response in call()", async () => {
    server.respondWith({ body: { balance: 5 } });
    const { api, getBalance } = createTestClient(server);
    const seen: unknown[] = [];
    api.client.use({
      onResponse({ response }) {
        seen.push(response);
        return undefined;
      },
    });
    await expect(getBalance()).resolves.toEqual({ balance: 5 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Response);
  });

  it('waits as Retry-After says, then retries', async () => {
    server.respondWith({ status: 429, headers: { 'retry-after': '2' } }, { body: { balance: 6 } });
    const { getBalance, waits } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual({ balance: 6 });
    expect(waits).toEqual([2_000]);
  });
});

describe('redirects', () => {
  let elsewhere: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (elsewhere ? elsewhere.close(() => resolve()) : resolve()));
    elsewhere = undefined;
  });

  it('follows one within the origin even when its body is past maxResponseBytes', async () => {
    server.respondWith(
      { status: 301, headers: { location: '/v2/balance' }, body: 'x'.repeat(4096) },
      { body: { balance: 7 } },
    );
    const { getBalance } = createTestClient(server, { maxResponseBytes: 1024 });
    await expect(getBalance()).resolves.toEqual({ balance: 7 });
  });

  it('does not follow one to another origin, and names it without the key', async () => {
    elsewhere = createServer((_request, response) => response.end('{"balance": 0}'));
    await new Promise<void>((resolve) => elsewhere!.listen(0, '127.0.0.1', () => resolve()));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/steal?k=${secret}`;
    server.respondWith({ status: 302, headers: { location: target } });
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect(AiCreditsError.isInstance(error)).toBe(true);
    expect(ConnectionError.isInstance(error)).toBe(false);
    expectNoSecret(error);
  });

  it('refuses a Location that is no URL, without quoting it', async () => {
    server.respondWith({ status: 302, headers: { location: `http://[${secret}` } });
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect(InvalidResponseError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toBe("the redirect's Location header is not a valid URL");
    expectNoSecret(error);
  });
});

describe('maxResponseBytes', () => {
  it('refuses a declared Content-Length past the cap before reading the body', async () => {
    const socket = nextSocketClosed();
    server.handle((request, response) => {
      socket.track(request);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) });
      response.write('{"balance": 1, "pad": "');
      // ...and the rest never comes: only the declared size can have refused it.
    });
    const error = await rejectionOf(createTestClient(server, { maxResponseBytes: 1024 }).getBalance());
    expect(InvalidResponseError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toBe(
      'response body of 67108864 bytes exceeds maxResponseBytes (1024)',
    );
    await socket.closed;
  });

  it('cuts off a chunked body that never ends at the cap, and closes the connection', async () => {
    const socket = nextSocketClosed();
    server.handle((request, response) => {
      socket.track(request);
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const error = await rejectionOf(createTestClient(server, { maxResponseBytes: 100_000 }).getBalance());
    expect(InvalidResponseError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toBe('response body exceeds maxResponseBytes (100000)');
    await socket.closed;
  });
});

describe('compressed bodies', () => {
  it.each(['deflate (zlib)', 'deflate (raw)'])('%s is decoded', async (kind) => {
    const { deflateRawSync, deflateSync } = await import('node:zlib');
    const bytes = (kind === 'deflate (raw)' ? deflateRawSync : deflateSync)('{"balance": 8}');
    server.respondWith({ headers: { 'content-encoding': 'deflate' }, body: bytes });
    await expect(createTestClient(server).getBalance()).resolves.toEqual({ balance: 8 });
  });

  it('two codings are undone in order', async () => {
    server.respondWith({ headers: { 'content-encoding': 'gzip, gzip' }, body: gzipSync(gzipSync('{"balance": 9}')) });
    await expect(createTestClient(server).getBalance()).resolves.toEqual({ balance: 9 });
  });

  it('an unknown coding leaves the body as it is', async () => {
    server.respondWith({ headers: { 'content-encoding': 'x-martian' }, body: '{"balance": 10}' });
    await expect(createTestClient(server).getBalance()).resolves.toEqual({ balance: 10 });
  });

  it.each(['gzip', 'deflate', 'br'])('a broken %s stream is a typed error naming the provider', async (encoding) => {
    server.respondWith({ headers: { 'content-encoding': encoding }, body: `not ${encoding} at all, ${secret}` });
    const error = await rejectionOf(createTestClient(server, { maxRetries: 0 }).getBalance());
    expect(AiCreditsError.isInstance(error), String(error)).toBe(true);
    expect((error as AiCreditsError).provider).toBe('testprovider');
    expectNoSecret(error);
  });

  it('more than five codings are refused, as fetch refuses them', async () => {
    server.respondWith({ headers: { 'content-encoding': 'gzip,gzip,gzip,gzip,gzip,gzip' }, body: 'x' });
    const error = await rejectionOf(createTestClient(server, { maxRetries: 0 }).getBalance());
    expect(ConnectionError.isInstance(error), String(error)).toBe(true);
  });
});

describe('malformed HTTP from the server, echoing the key', () => {
  it.each([
    ['a bad status line', [`HTTP/1.1 TWO-HUNDRED ${secret}\r\n\r\n`]],
    ['a bad header line', [`HTTP/1.1 200 OK\r\nx-echo ${secret}\r\n\r\n`]],
    [
      'bad chunked encoding',
      [`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nZZ${secret}\r\n`],
    ],
    ['headers past 16 KiB', [`HTTP/1.1 200 OK\r\nx-echo: ${secret}${'x'.repeat(80 * 1024)}\r\n\r\n`]],
    ['a body cut short of its Content-Length', ['HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"bal']],
    ['nothing at all', ['']],
  ])('%s is a ConnectionError naming the provider, without the key', async (_case, parts) => {
    rawResponse(...parts);
    const error = await rejectionOf(createTestClient(server, { maxRetries: 0 }).getBalance());
    expect(ConnectionError.isInstance(error), String(error)).toBe(true);
    expect((error as ConnectionError).provider).toBe('testprovider');
    expect((error as ConnectionError).message).toMatch(/^testprovider getBalance: could not reach /);
    expectNoSecret(error);
  });

  it('a reset connection is retried like any connection failure', async () => {
    server.respondWith({ destroy: true }, { body: { balance: 11 } });
    const { getBalance, waits } = createTestClient(server);
    await expect(getBalance()).resolves.toEqual({ balance: 11 });
    expect(waits).toEqual([500]);
  });
});

describe('aborts and timeouts mid-body', () => {
  it("the caller's abort ends a body in progress at once, and its connection", async () => {
    const socket = nextSocketClosed();
    server.handle((request, response) => {
      socket.track(request);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"balance": ');
    });
    const controller = new AbortController();
    const headersIn = nextResponseHeaders();
    const pending = rejectionOf(createTestClient(server).getBalance({ signal: controller.signal }));
    await headersIn;
    controller.abort();
    const error = await pending;
    expect(UserAbortError.isInstance(error), String(error)).toBe(true);
    await socket.closed;
  });

  it('a body that trickles in is still cut by the attempt timeout', async () => {
    const socket = nextSocketClosed();
    server.handle((request, response) => {
      socket.track(request);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"balance": ');
    });
    const time = manualClock();
    const headersIn = nextResponseHeaders();
    const pending = rejectionOf(createTestClient(server, { timeout: 5_000, maxRetries: 0 }, time.clock).getBalance());
    await headersIn;
    time.advance(5_000);
    const error = await pending;
    expect(TimeoutError.isInstance(error), String(error)).toBe(true);
    expectNoSecret(error);
    await socket.closed;
  });
});

describe('a server that closes idle keep-alive connections at once', () => {
  it('never turns a closed pooled connection into a failed call', async () => {
    const quick = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"balance": 12}');
    });
    // Closes each connection 1 ms after its answer, while the client may already be reusing it.
    quick.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => quick.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(quick.address() as AddressInfo).port}`;
      const { getBalance, waits } = createTestClient({ url });
      for (let call = 0; call < 20; call++) {
        await expect(getBalance()).resolves.toEqual({ balance: 12 });
        await new Promise((resolve) => setTimeout(resolve, call % 3));
      }
      if (transportUnderTest === 'node') expect(waits).toEqual([]);
    } finally {
      quick.closeAllConnections();
      await new Promise<void>((resolve) => quick.close(() => resolve()));
    }
  });
});
