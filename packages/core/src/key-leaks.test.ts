import { expectNoSecretFragment, startTestServer, type TestServer } from '@aicredits/test-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AiCreditsError,
  ApiCallError,
  AuthenticationError,
  ConnectionError,
  type DebugLogEntry,
  InvalidResponseError,
  redactSecrets,
  SettingsError,
} from './index.js';
import { createTestClient, rejectionOf } from './testing/test-provider.js';

// A key with the characters escapes are made of: `/` (PHP's `\/`), `+` and `=` (URL encoding).
const key = 'sk-live/Ab+Cd=Ef_0123456789-QRSTuvwx';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Every character as a JSON `\uXXXX` escape: valid JSON that no byte-for-byte search finds. */
const jsonUnicode = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const jsonSlashes = (text: string) => text.replaceAll('/', '\\/');
const percentAll = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
const htmlEntities = (text: string) => [...text].map((c) => `&#${c.charCodeAt(0)};`).join('');

/** The ways a server has been seen, or could plausibly, echo a key it was sent. */
const echoForms: Record<string, (sent: string) => string> = {
  exact: (sent) => sent,
  'JSON \\u escapes': jsonUnicode,
  'JSON \\/ escapes': jsonSlashes,
  'URL-encoded (encodeURIComponent)': encodeURIComponent,
  'URL-encoded, every byte': percentAll,
  'HTML entities': htmlEntities,
  'a 12-character prefix': (sent) => sent.slice(0, 12),
  'a 20-character middle': (sent) => sent.slice(8, 28),
};

/** Where in a response an echo can sit. Each answers with a failure the client keeps text from. */
const echoPlaces: Record<
  string,
  (echo: string) => (request: unknown, response: import('node:http').ServerResponse) => void
> = {
  'a JSON error body': (echo) => (_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(`{"error":"invalid token ${echo}"}`);
  },
  'a plain-text error body': (echo) => (_request, response) => {
    response.writeHead(401, { 'content-type': 'text/plain' });
    response.end(`bad key ${echo}`);
  },
  'an envelope under 200': (echo) => (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"error":{"message":"token ${echo} revoked","type":"invalid_request_error"}}`);
  },
  'a body that is not JSON': (echo) => (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"balance": 1, "note": "${echo}`);
  },
  'the reason phrase': (echo) => (_request, response) => {
    response.writeHead(401, `Unauthorized ${echo}`, { 'content-length': '0' });
    response.end();
  },
  'the request id header': (echo) => (_request, response) => {
    response.writeHead(401, { 'x-request-id': echo, 'content-type': 'application/json' });
    response.end('{}');
  },
  'the content type of an HTML page': (echo) => (_request, response) => {
    response.writeHead(200, { 'content-type': `text/html; x=${echo}` });
    response.end('<html>maintenance</html>');
  },
  "a redirect's Location (query)": (echo) => (_request, response) => {
    response.writeHead(302, { location: `https://elsewhere.invalid/login?token=${echo}`, 'content-length': '0' });
    response.end();
  },
  'a same-origin redirect loop': (echo) => (_request, response) => {
    response.writeHead(302, { location: `/v1/balance?token=${echo}`, 'content-length': '0' });
    response.end();
  },
};

/** The outcome of one call against a server answering with `handler`, and the debug log it made. */
async function callAgainst(
  handler: (request: unknown, response: import('node:http').ServerResponse) => void,
  apiKey: string,
): Promise<{ error: unknown; log: string }> {
  server.handle(handler as Parameters<TestServer['handle']>[0]);
  const entries: DebugLogEntry[] = [];
  const { getBalance } = createTestClient(server, { apiKey, maxRetries: 0, debug: (entry) => entries.push(entry) });
  const error = await rejectionOf(getBalance());
  return { error, log: JSON.stringify(entries) };
}

describe('an echo of the API key in any form, anywhere in a response', () => {
  for (const [placeName, place] of Object.entries(echoPlaces)) {
    for (const [formName, form] of Object.entries(echoForms)) {
      // Reason phrases and header values are Latin-1 only; the URL-encoded forms stand for those.
      it(`${formName}, in ${placeName}: no part of the key on any surface`, async () => {
        const { error, log } = await callAgainst(place(form(key)), key);
        expect(AiCreditsError.isInstance(error), String(error)).toBe(true);
        expectNoSecretFragment(error, key, { texts: { log } });
      });
    }
  }

  it('the key as sent (trimmed) is redacted when it was configured with a trailing newline', async () => {
    const { error } = await callAgainst(echoPlaces['a JSON error body']!(key), `  ${key}\n`);
    expect(server.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${key}`);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).providerMessage).toBe('invalid token [REDACTED]');
    expectNoSecretFragment(error, key);
  });

  it('messages built from the parsed body are redacted after parsing', async () => {
    const { error } = await callAgainst(echoPlaces['an envelope under 200']!(jsonUnicode(key)), key);
    expect((error as ApiCallError).providerMessage).toBe('token [REDACTED] revoked');
    expect((error as ApiCallError).body).toEqual({
      error: { message: 'token [REDACTED] revoked', type: 'invalid_request_error' },
    });
  });

  it('property: a key of any printable shape, echoed in any form and place, never shows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...'abcXYZ0189-_./+=~:@!$'.split('')), minLength: 16, maxLength: 64 }),
        fc.constantFrom(...Object.keys(echoForms)),
        fc.constantFrom(...Object.keys(echoPlaces)),
        async (apiKey, formName, placeName) => {
          const { error, log } = await callAgainst(echoPlaces[placeName]!(echoForms[formName]!(apiKey)), apiKey);
          expectNoSecretFragment(error, apiKey, { texts: { log } });
        },
      ),
      { numRuns: 60, seed: 10 },
    );
  });
});

describe('an echo of the API key in bytes that are not HTTP', () => {
  // The HTTP parser keeps what it could not parse (undici's HTTPParserError has it as `data`),
  // and util.inspect shows it: the cause is replaced when any of it holds the key.
  it.each([
    ['the status line', (echo: string) => `HTTP/1.1 TWO-HUNDRED ${echo}\r\n\r\n`],
    ['a chunk header', (echo: string) => `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nZZ${echo}\r\n`],
  ])('in %s: a ConnectionError without it anywhere', async (_case, response) => {
    server.handle((request) => request.socket.end(response(key)));
    const error = await rejectionOf(createTestClient(server, { apiKey: key, maxRetries: 0 }).getBalance());
    expect(ConnectionError.isInstance(error), String(error)).toBe(true);
    expectNoSecretFragment(error, key);
  });
});

describe('a redirect', () => {
  it('that loops within the origin is reported as a loop', async () => {
    const { error } = await callAgainst(echoPlaces['a same-origin redirect loop']!('x'), key);
    expect((error as ApiCallError).message).toMatch(/within the same origin more than 5 times: a redirect loop/);
  });

  it('with an invalid Location is an invalid response, not retried, the Location not quoted', async () => {
    server.handle((_request, response) => {
      response.writeHead(302, { location: `http://[${key}/`, 'content-length': '0' });
      response.end();
    });
    const before = server.requests.length;
    const { getBalance } = createTestClient(server, { apiKey: key });
    const error = await rejectionOf(getBalance());
    expect(InvalidResponseError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toBe("the redirect's Location header is not a valid URL");
    expect(server.requests.length - before).toBe(1);
    expectNoSecretFragment(error, key);
  });
});

describe('the API key is checked when the client is built', () => {
  it.each([
    ['a newline inside', `sk-abc\ndef-0123456789`, 'a control character at position 7'],
    ['an escape character', `sk-abc\u001b[2Jdef-0123456789`, 'a control character at position 7'],
    ['a non-ASCII character', `sk-abcédef-0123456789`, 'a non-ASCII character at position 7'],
  ])('%s: SettingsError naming the position, never the key, and no request', async (_case, apiKey, what) => {
    const before = server.requests.length;
    let error: unknown;
    try {
      createTestClient(server, { apiKey });
    } catch (thrown) {
      error = thrown;
    }
    expect(SettingsError.isInstance(error)).toBe(true);
    expect((error as SettingsError).setting).toBe('apiKey');
    expect((error as SettingsError).message).toContain(what);
    expectNoSecretFragment(error, apiKey, { length: 6 });
    expect(server.requests.length).toBe(before);
  });
});

describe('redactSecrets', () => {
  it('leaves text without the key alone, and keeps escapes that are not the key', () => {
    const text = '{"url":"https:\\/\\/example.com\\/a%20b","amp":"&#38;"}';
    expect(redactSecrets(text, [key])).toBe(text);
  });

  it('replaces one overlapping echo with one placeholder', () => {
    expect(redactSecrets(`a ${key} b`, [key])).toBe('a [REDACTED] b');
    expect(redactSecrets(`a ${jsonUnicode(key)} b`, [key])).toBe('a [REDACTED] b');
  });
});
