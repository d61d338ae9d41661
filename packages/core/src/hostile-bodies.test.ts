import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiCallError, AuthenticationError, InvalidResponseError, SettingsError } from './index.js';
import { maxTimerMs } from './provider-utils.js';
import { depthMarker, maxJsonDepth } from './sanitize-json.js';
import { createTestClient, rejectionOf, secret } from './testing/test-provider.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('deeply nested JSON in an unknown field', () => {
  it('of a success body: the balance, the nesting cut at a visible marker, JSON.stringify safe', async () => {
    server.respondWith({ body: `{"balance": 5, "extra": ${deep(200_000)}}` });
    const { getBalance } = createTestClient(server);
    const body = (await getBalance()) as unknown as Record<string, unknown>;
    expect(body['balance']).toBe(5);
    expect(JSON.stringify(body)).toContain(depthMarker);
    let level: unknown = body['extra'];
    let depth = 1;
    while (Array.isArray(level)) [level, depth] = [level[0], depth + 1];
    expect([level, depth]).toEqual([depthMarker, maxJsonDepth]);
  });

  it('of an error body: a typed error whose every rendering works', async () => {
    server.respondWith({ status: 401, body: `{"error": "no", "trace": ${deep(200_000)}}` });
    const { getBalance } = createTestClient(server);
    const error = await rejectionOf(getBalance());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(JSON.stringify(error)).toContain(depthMarker);
  });
});

describe('a compressed body', () => {
  const bomb = Buffer.from(JSON.stringify({ balance: 1, pad: 'x'.repeat(8 * 1024 * 1024) }));
  it.each([
    ['gzip', gzipSync(bomb)],
    ['deflate', deflateSync(bomb)],
    ['br', brotliCompressSync(bomb)],
  ])(
    '%s: counted against maxResponseBytes once decompressed, whatever Content-Length says',
    async (encoding, bytes) => {
      expect(bytes.byteLength).toBeLessThan(64 * 1024);
      server.respondWith({ headers: { 'content-encoding': encoding }, body: bytes });
      const { getBalance } = createTestClient(server, { maxResponseBytes: 1024 * 1024 });
      const error = await rejectionOf(getBalance());
      expect(InvalidResponseError.isInstance(error), String(error)).toBe(true);
      expect((error as InvalidResponseError).reason).toBe(
        'response body exceeds maxResponseBytes (1048576) once decompressed',
      );
    },
  );

  it('cut off: reported as cut off, not as empty', async () => {
    const compressed = gzipSync(JSON.stringify({ balance: 1, note: 'x'.repeat(2000) }));
    server.respondWith({ headers: { 'content-encoding': 'gzip' }, body: compressed.subarray(0, 10) });
    const empty = await rejectionOf(createTestClient(server).getBalance());
    expect((empty as InvalidResponseError).reason).toBe(
      'the compressed body (gzip) decoded to nothing: it was cut off',
    );
    server.respondWith({ headers: { 'content-encoding': 'gzip' }, body: compressed.subarray(0, 30) });
    const partial = await rejectionOf(createTestClient(server).getBalance());
    expect((partial as InvalidResponseError).reason).toMatch(/not valid JSON .*; the compressed body was cut off$/);
  });

  it('within the cap is read as usual', async () => {
    server.respondWith({ headers: { 'content-encoding': 'gzip' }, body: gzipSync('{"balance": 7}') });
    expect(await createTestClient(server).getBalance()).toEqual({ balance: 7 });
  });
});

describe('what servers send besides UTF-8 JSON', () => {
  it('a non-ASCII reason phrase (401 未授权) is an answer, not a connection error', async () => {
    // Node's writeHead refuses a reason phrase beyond Latin-1; the raw status line is what servers send.
    server.handle((request, response) => {
      request.socket.end(
        Buffer.concat([
          Buffer.from('HTTP/1.1 401 '),
          Buffer.from('未授权'),
          Buffer.from('\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
        ]),
      );
      void response;
    });
    const before = server.requests.length;
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect(AuthenticationError.isInstance(error), String(error)).toBe(true);
    expect(server.requests.length - before).toBe(1);
  });

  it('a body in charset=gbk is decoded as GBK', async () => {
    server.respondWith({
      status: 401,
      headers: { 'content-type': 'application/json; charset=gbk' },
      // {"error":"未授权"} in GBK
      body: Buffer.concat([
        Buffer.from('{"error":"'),
        Buffer.from([0xce, 0xb4, 0xca, 0xda, 0xc8, 0xa8]),
        Buffer.from('"}'),
      ]),
    });
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect((error as ApiCallError).providerMessage).toBe('未授权');
  });

  it('a charset nobody can decode is an invalid response, not mojibake', async () => {
    server.respondWith({ headers: { 'content-type': 'application/json; charset=x-martian' }, body: '{"balance": 1}' });
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toContain('charset "x-martian" is not one aicredits can decode');
  });

  it.each(['text/html', 'text/plain', 'application/octet-stream'])(
    'valid JSON labelled %s is accepted when it matches the spec',
    async (contentType) => {
      server.respondWith({ headers: { 'content-type': contentType }, body: '{"balance": 3}' });
      expect(await createTestClient(server).getBalance()).toEqual({ balance: 3 });
    },
  );

  it('an HTML page stays an invalid response', async () => {
    server.respondWith({ headers: { 'content-type': 'text/plain' }, body: '<!doctype html><p>login</p>' });
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect((error as InvalidResponseError).reason).toBe(
      'expected a JSON body but got an HTML page (content type text/plain)',
    );
  });

  it.each(['1e999', '-1e999'])('an amount of %s (Infinity once parsed) is an invalid response', async (amount) => {
    server.respondWith({ body: `{"balance": ${amount}}` });
    const error = await rejectionOf(createTestClient(server).getBalance());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.balance');
  });
});

describe('settings refused before any request', () => {
  const refused = (settings: Parameters<typeof createTestClient>[1]): SettingsError => {
    const before = server.requests.length;
    let error: unknown;
    try {
      createTestClient(server, settings);
    } catch (thrown) {
      error = thrown;
    }
    expect(SettingsError.isInstance(error), String(error)).toBe(true);
    expect(server.requests.length).toBe(before);
    return error as SettingsError;
  };

  it.each([maxTimerMs + 1, 1e12, Number.POSITIVE_INFINITY, 0, Number.NaN])('timeout %s', (timeout) => {
    expect(refused({ timeout }).setting).toBe('timeout');
  });

  it('a per-call timeout beyond 2^31-1 ms rejects the call', async () => {
    const error = await rejectionOf(createTestClient(server).getBalance({ timeout: maxTimerMs + 1 }));
    expect(SettingsError.isInstance(error)).toBe(true);
  });

  it.each([
    ['CR/LF in a value', { 'x-team': `a\r\nx-injected: ${secret}` }],
    ['a bad name', { 'x team': 'a' }],
  ])('headers with %s, the value never quoted', (_case, headers) => {
    const error = refused({ headers });
    expect(error.setting).toBe('headers');
    expect(error.message).not.toContain(secret);
  });

  it.each(['https://api.example.com/v1?token=abc', 'https://api.example.com/#frag'])('baseURL %s', (baseURL) => {
    const error = refused({ baseURL });
    expect(error.message).toContain('must not contain a query');
    expect(error.message).not.toContain('abc');
  });
});
