/**
 * The default transport on Node: each attempt is one `node:http`/`node:https` request over a shared
 * keep-alive agent, instead of Node's global `fetch` (undici). Per request, undici builds a
 * `Request`, web streams for both bodies and an `AbortSignal` it follows through weak references
 * kept until a full GC; a keep-alive `node:http` request measured about half of fetch's CPU per
 * call, and the monitor's 10,000 accounts need that. What the rest of the core sees is what fetch
 * gives it (status, the reason phrase as fetch decodes it, a `Headers`, the final URL, the body
 * decompressed as fetch would), so everything above this file is the same on both paths.
 *
 * Only Node loads this file: package.json's `imports` map `#default-send` to it under the `node`
 * condition (see default-send.ts), so browsers, Deno and Bun keep `fetch` and never bundle
 * `node:http`. A user's `fetch` setting always wins.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';

import { isContentEncoded, nullBodyStatuses } from './response-body-rules.js';
import { declaredTooLargeMessage, tooLargeMessage, UnusableResponseError } from './unusable-response-error.js';

/** What one request of an attempt needs: the transport's request parts and its signal. */
export interface NodeRequestInit {
  method: string;
  headers: Headers;
  body?: BodyInit | null | undefined;
  signal: AbortSignal;
}

/**
 * A response of the Node transport with its body already read: the parts of a `Response` that the
 * transport and `call()` read, without the streams behind one. The raw client and user middleware
 * are given a real `Response` rebuilt from it (transport.ts), so nothing of the user's sees this.
 */
export class NodeResponse {
  /** openapi-fetch hands `body` back for `parseAs: 'stream'`; `call()` reads the text from the exchange. */
  readonly body = null;
  readonly type = 'basic';
  readonly redirected = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
    private readonly bytes: Uint8Array,
    private readonly refusal: UnusableResponseError | undefined,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /**
   * The body, or the refusal of one past `maxResponseBytes`. The refusal waits until the body is
   * wanted: fetch follows a same-origin redirect without reading its body, whatever its size.
   */
  readBody(): Uint8Array {
    if (this.refusal !== undefined) throw this.refusal;
    return this.bytes;
  }
}

/**
 * Keep-alive like undici's pool: idle sockets are closed after 4 s (undici's default keep-alive
 * timeout; a server's shorter `Keep-Alive: timeout` hint wins), and Node's agent `unref`s a socket
 * while it is idle, so a pooled connection never keeps a CLI run alive. Made on first use, so that
 * importing the package has no side effect.
 */
let agents: { http: http.Agent; https: https.Agent } | undefined;
const agentOptions = { keepAlive: true, timeout: 4_000 };

function agentFor(protocol: string): http.Agent {
  agents ??= { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  return protocol === 'https:' ? agents.https : agents.http;
}

/** The request headers fetch adds when the caller has not set them (undici, Node 20). */
const fetchDefaultHeaders: readonly (readonly [string, string])[] = [
  ['accept', '*/*'],
  ['accept-language', '*'],
  ['sec-fetch-mode', 'cors'],
  ['user-agent', 'node'],
];

/** fetch refuses a response with more content codings than this (a decompression chain is work per coding). */
const maxContentEncodings = 5;

/**
 * Sends one request and reads its whole answer, decoded, up to `maxResponseBytes`; rejects with
 * the signal's reason when it aborts, so the attempt's timeout covers the body too.
 */
export async function nodeSend(url: string, init: NodeRequestInit, maxResponseBytes: number): Promise<NodeResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new TypeError(`the Node transport sends http: and https: requests, not ${target.protocol}`);
  }
  // fetch refuses these too; Node would turn them into an Authorization header.
  if (target.username !== '' || target.password !== '') {
    throw new TypeError('Request cannot be constructed from a URL that includes credentials');
  }
  target.hash = '';
  const payload = await payloadOf(init.body);
  const headers = outgoingHeaders(init, target.protocol, payload);
  try {
    return await exchange(target, init, maxResponseBytes, headers, payload?.bytes);
  } catch (error) {
    // A pooled socket the server closed while it sat idle fails before any answer: one new
    // connection, as a browser would, instead of a retry with backoff. Only for requests that
    // are safe to repeat.
    if (!(error instanceof StaleSocketError)) throw error;
    if (init.method !== 'GET' && init.method !== 'HEAD') throw error.cause;
    return exchange(target, init, maxResponseBytes, headers, payload?.bytes).catch((again: unknown) => {
      throw again instanceof StaleSocketError ? again.cause : again;
    });
  }
}

/** The failure of a request sent on a reused keep-alive socket before any of the answer arrived. */
class StaleSocketError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

function exchange(
  target: URL,
  init: NodeRequestInit,
  maxResponseBytes: number,
  headers: Record<string, string>,
  body: Uint8Array | undefined,
): Promise<NodeResponse> {
  const { signal } = init;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const request = (target.protocol === 'https:' ? https : http).request(target, {
      method: init.method,
      headers,
      agent: agentFor(target.protocol),
    });
    let answered = false;
    let settled = false;
    const settle = () => {
      settled = true;
      signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      // Destroying the request destroys its socket (never returned to the pool) and the response.
      request.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    // Every emitter that can emit 'error' has a listener for as long as it lives, so nothing a
    // server does becomes an unhandled 'error' event; idle pooled sockets have the agent's own.
    request.on('error', (error) => {
      const clean = connectionFailure(error);
      fail(request.reusedSocket && !answered && !signal.aborted ? new StaleSocketError(clean) : clean);
    });
    request.on('response', (response) => {
      answered = true;
      response.on('error', (error) => fail(connectionFailure(error)));
      const done = (bytes: Uint8Array, refusal?: UnusableResponseError) => {
        if (settled) return;
        settle();
        // A body left unread (refused by its size) would hold the socket: it goes with the request.
        if (refusal !== undefined) request.destroy();
        resolve(new NodeResponse(status, statusText, responseHeaders, target.href, bytes, refusal));
      };
      const status = response.statusCode ?? 0;
      // undici decodes the reason phrase as UTF-8 (servers send `401 未授权`); Node gives its bytes as Latin-1.
      const statusText = Buffer.from(response.statusMessage ?? '', 'latin1').toString();
      let responseHeaders: Headers;
      try {
        responseHeaders = headersOf(response.rawHeaders);
      } catch {
        // Not quoted: a header can carry anything, the key included.
        return fail(new TypeError('the response has a header that fetch refuses'));
      }
      const contentEncoding = responseHeaders.get('content-encoding');
      const decoders = init.method === 'HEAD' || nullBodyStatuses.has(status) ? [] : decodersFor(contentEncoding);
      if (decoders === undefined) {
        return fail(new Error(`too many content-encodings in response, maximum allowed is ${maxContentEncodings}`));
      }
      // As the fetch path reads it (transport.ts): a declared size is trusted only when not compressed.
      const encoded = isContentEncoded(contentEncoding);
      const contentLength = responseHeaders.get('content-length');
      const declared = Number(contentLength);
      if (contentLength !== null && declared > maxResponseBytes && !encoded) {
        return done(
          new Uint8Array(),
          new UnusableResponseError(declaredTooLargeMessage(declared, maxResponseBytes), status),
        );
      }
      readBody(response, decoders, maxResponseBytes, {
        data: (bytes) => done(bytes),
        tooLarge: () =>
          done(new Uint8Array(), new UnusableResponseError(tooLargeMessage(maxResponseBytes, encoded), status)),
        error: fail,
      });
    });
    request.end(body);
  });
}

/** Reads a response to its end through its decoders, stopping as soon as it grows past `maxBytes`. */
function readBody(
  response: IncomingMessage,
  decoders: NodeJS.ReadWriteStream[],
  maxBytes: number,
  outcome: { data(bytes: Uint8Array): void; tooLarge(): void; error(error: unknown): void },
): void {
  let source: NodeJS.ReadableStream = response;
  for (const decoder of decoders) {
    // fetch reports a broken compressed stream as a failed body, and so does this.
    decoder.on('error', (error: unknown) => outcome.error(connectionFailure(error)));
    source = source.pipe(decoder);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  let over = false;
  source.on('data', (chunk: Buffer) => {
    if (over) return;
    length += chunk.byteLength;
    if (length > maxBytes) {
      over = true;
      outcome.tooLarge();
      return;
    }
    chunks.push(chunk);
  });
  source.on('end', () => {
    if (!over) outcome.data(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
  });
  response.on('close', () => {
    // A connection that closes mid-body without an error event still must not look like an answer.
    if (!response.complete) outcome.error(new Error('the connection closed before the response body was complete'));
  });
}

/**
 * The decoders of a response's content codings, last applied first, as fetch has them: lenient
 * about a truncated end (curl's and browsers' Z_SYNC_FLUSH, so a cut-off body decodes to what
 * arrived), an unknown coding leaving the body as it is; `undefined` past five codings.
 */
function decodersFor(contentEncoding: string | null): NodeJS.ReadWriteStream[] | undefined {
  const codings = contentEncoding ? contentEncoding.toLowerCase().split(',') : [];
  if (codings.length > maxContentEncodings) return undefined;
  const decoders: NodeJS.ReadWriteStream[] = [];
  const zlibOptions = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  for (let index = codings.length - 1; index >= 0; index--) {
    const coding = codings[index]!.trim();
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(zlib.createGunzip(zlibOptions));
    else if (coding === 'deflate') decoders.push(new InflateEither(zlibOptions));
    else if (coding === 'br') {
      decoders.push(
        zlib.createBrotliDecompress({
          flush: zlib.constants.BROTLI_OPERATION_FLUSH,
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
        }),
      );
    } else return [];
  }
  return decoders;
}

/**
 * `deflate` as servers send it: zlib-wrapped as the RFC says, or raw deflate as some send it;
 * the first byte tells which (fetch does the same).
 */
class InflateEither extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;

  constructor(private readonly options: zlib.ZlibOptions) {
    super();
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.inner === undefined) {
      if (chunk.length === 0) return callback();
      this.inner = (chunk[0]! & 15) === 8 ? zlib.createInflate(this.options) : zlib.createInflateRaw(this.options);
      this.inner.on('data', (data: Buffer) => this.push(data));
      this.inner.on('end', () => this.push(null));
      this.inner.on('error', (error) => this.destroy(error));
    }
    this.inner.write(chunk, encoding, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.inner === undefined) this.push(null);
    else this.inner.end();
    callback();
  }
}

/** A response's headers in a `Headers`, each raw line appended as undici does (repeats joined on read). */
function headersOf(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  return headers;
}

/** A request body as bytes, with the content type fetch would give it. */
async function payloadOf(
  body: BodyInit | null | undefined,
): Promise<{ bytes: Uint8Array; contentType?: string | undefined } | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: 'text/plain;charset=UTF-8' };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  // Form data, blobs, URL parameters and streams: serialized by the platform, as fetch would.
  const serialized = new Response(body);
  return {
    bytes: new Uint8Array(await serialized.arrayBuffer()),
    contentType: serialized.headers.get('content-type') ?? undefined,
  };
}

/** The headers fetch would send: the request's own, then fetch's defaults where the request has none. */
function outgoingHeaders(
  init: NodeRequestInit,
  protocol: string,
  payload: { bytes: Uint8Array; contentType?: string | undefined } | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  init.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // fetch sends the host of the URL, whatever the request says.
  delete headers['host'];
  for (const [name, value] of fetchDefaultHeaders) headers[name] ??= value;
  // The same codings fetch asks for, so that servers answer both paths alike.
  headers['accept-encoding'] ??= protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
  if (payload?.contentType !== undefined) headers['content-type'] ??= payload.contentType;
  if (payload !== undefined) headers['content-length'] = String(payload.bytes.byteLength);
  else if (init.method === 'POST' || init.method === 'PUT') headers['content-length'] = '0';
  return headers;
}

/**
 * A socket or parser failure as a plain `Error` with its message and code: Node's parse errors
 * carry the raw bytes received (`rawPacket`), which may hold an echo of the key.
 */
function connectionFailure(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const clean = new Error(error.message);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(clean, { code });
  return clean;
}
