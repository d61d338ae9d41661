import { afterEach, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from './index.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startTestServer', () => {
  it('serves scripted responses in order, repeating the last, and records requests', async () => {
    server = await startTestServer();
    server.respondWith(
      { status: 503, body: 'busy', headers: { 'content-type': 'text/plain' } },
      { body: { ok: true } },
    );
    const first = await fetch(`${server.url}/a?x=1`, { headers: { 'x-test': 'yes' } });
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toBe('text/plain');
    expect(await first.text()).toBe('busy');
    for (let i = 0; i < 2; i++) {
      const next = await fetch(`${server.url}/b`, { method: 'POST', body: 'ignored' });
      expect(next.status).toBe(200);
      expect(next.headers.get('content-type')).toBe('application/json');
      expect(await next.json()).toEqual({ ok: true });
    }
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /a?x=1',
      'POST /b',
      'POST /b',
    ]);
    expect(server.requests[0]?.headers['x-test']).toBe('yes');
    expect(server.requests[0]?.receivedAt).toBeTypeOf('number');
  });

  it('answers 500 until scripted, and hands control to a custom handler', async () => {
    server = await startTestServer();
    expect((await fetch(server.url)).status).toBe(500);
    server.handle((_request, response) => {
      response.writeHead(201, { 'x-custom': '1' }).end('made');
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('made');
  });

  it('sends bytes and omits the content type when asked', async () => {
    server = await startTestServer();
    server.respondWith({ body: new Uint8Array([104, 105]), headers: { 'content-type': '' } });
    const response = await fetch(server.url);
    expect(response.headers.get('content-type')).toBeNull();
    expect(response.headers.get('content-length')).toBe('2');
    expect(await response.text()).toBe('hi');
  });

  it('cuts the body mid-way and destroys sockets', async () => {
    server = await startTestServer();
    server.respondWith({ body: '{"balance": 12345}', cutAfterBytes: 5 });
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow(/terminated/);

    server.respondWith({ destroy: true });
    await expect(fetch(server.url)).rejects.toThrow(/fetch failed/);
  });

  it('delays the response', async () => {
    server = await startTestServer();
    server.respondWith({ delayMs: 60, body: {} });
    const started = Date.now();
    await (await fetch(server.url)).text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('closes at once while a delayed response is pending, idempotently', async () => {
    server = await startTestServer();
    server.respondWith({ delayMs: 60_000, body: {} });
    const pending = fetch(server.url).then(
      () => 'answered',
      () => 'failed',
    );
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    // Far below the 60 s answer it would otherwise wait for; a guard against a hang, not a speed test.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await pending).toBe('failed');
    await expect(fetch(server.url)).rejects.toThrow(TypeError);
  });
});
