import { ConnectionError, TimeoutError } from './connection-error.js';
import { type DebugLogger, redactHeaders } from './debug-log.js';
import { decodeBody, UnsupportedCharsetError } from './decode-body.js';
import { defaultSend } from './default-send.js';
import { InvalidResponseError } from './invalid-response-error.js';
import type { NodeResponse } from './node-transport.js';
import { containsSecret, redactSecrets } from './redact.js';
import { isContentEncoded, nullBodyStatuses } from './response-body-rules.js';
import { backoffDelayMs, retryAfterMs, type RetryPolicy } from './retry-delay.js';
import { declaredTooLargeMessage, tooLargeMessage, UnusableResponseError } from './unusable-response-error.js';
import { UserAbortError } from './user-abort-error.js';

export type FetchFunction = (input: Request) => Promise<Response>;

/**
 * Time and chance, injectable so that tests can check waits without waiting and fire timeouts when
 * they choose instead of racing a real deadline.
 */
export interface Clock {
  now(): number;
  /** Resolves after `milliseconds`, rejects with the signal's reason if it aborts first. */
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
  random(): number;
  /** Calls `onExpiry` once after `milliseconds` unless the returned function cancels it first. */
  startTimer(milliseconds: number, onExpiry: () => void): () => void;
}

/** The real clock (`Date.now`, `setTimeout`, `Math.random`); tests pass their own `Clock`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (milliseconds, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, milliseconds);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
  startTimer: (milliseconds, onExpiry) => {
    const timer = setTimeout(onExpiry, milliseconds);
    return () => clearTimeout(timer);
  },
};

export interface TransportOptions {
  provider: string;
  /**
   * The user's `fetch`, which is handed a `Request`; without one, the Node transport on Node and
   * `globalThis.fetch(url, init)` elsewhere.
   */
  fetch: FetchFunction | undefined;
  timeoutMs: number;
  retry: RetryPolicy;
  isRetryableStatus(status: number): boolean;
  maxResponseBytes: number;
  secrets: () => readonly (string | undefined)[];
  /** Header names whose values the debug log never shows. */
  redactedHeaders: ReadonlySet<string>;
  log: DebugLogger | undefined;
  clock: Clock;
}

/**
 * What each attempt sends: the parts of a request that `fetch` needs. The raw client's `Request`
 * is one (its body read first); `call()` hands openapi-fetch {@link OutgoingRequest} to build instead
 * of a `Request`, which the default path never needs (see `send`).
 */
export interface RequestParts {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** A body that can be sent again on a retry (text, bytes, form data), or `null`. */
  readonly body: BodyInit | null;
}

/**
 * The request openapi-fetch builds for `call()` (its per-call `Request` option): only what the
 * transport reads, with the headers openapi-fetch merged, which middleware may still change. A
 * `Request` is more than twice the work, and the default path would only take it apart again.
 */
export class OutgoingRequest implements RequestParts {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  /** Copied here by openapi-fetch from the call's options; the transport always redirects by hand. */
  redirect: RequestRedirect = 'manual';

  constructor(url: string | URL, init: { method?: string; headers?: HeadersInit; body?: BodyInit | null } = {}) {
    this.url = String(url);
    this.method = init.method ?? 'GET';
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
  }
}

/** What one logical request went through, for the error that may follow. */
export interface Exchange {
  operation: string;
  attempts: number;
  /** The final response body as text, before any redaction. */
  bodyText: string;
  /** The URL that answered last (after redirects within the origin). */
  url?: string;
  /** The final response's reason phrase, which a rebuilt response cannot always carry. */
  statusText?: string;
}

export interface SendOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  /** `clock.now()` by which the call must be done: a retry whose wait ends later is not made. */
  deadline?: number | undefined;
  /**
   * Return a successful response as fetch gave it, its body already consumed, instead of a copy
   * with the body re-attached: for a caller that reads the text from the exchange anyway.
   */
  keepReadResponse?: boolean | undefined;
  /**
   * With `keepReadResponse`, the Node transport's own response may be returned too, not only a
   * real `Response`: for a caller whose response nothing of the user's (middleware) can see.
   */
  acceptLightResponse?: boolean | undefined;
}

/** The caller's signal for a call without one: waits between attempts take a signal either way. */
const neverAborted = new AbortController().signal;

/** The Request of every attempt under way through the user's fetch, held so that its abort signal keeps working. */
const attemptsInFlight = new Set<Request>();

/**
 * One answer as an attempt receives it: fetch's `Response`, or on Node without a user's `fetch` the
 * Node transport's lighter one, whose body is already read (node-transport.ts).
 */
type Answer = Response | NodeResponse;

/**
 * Sends `request` with a timeout per attempt and retries transient failures, then returns the final
 * response with its body already read. Reading the body inside the attempt means a timeout covers
 * the whole answer and a connection cut mid-body is retried like any other connection failure.
 */
export async function sendWithRetries(
  request: RequestParts,
  transport: TransportOptions,
  exchange: Exchange,
  options: SendOptions = {},
): Promise<Response> {
  const { clock } = transport;
  const timeoutMs = options.timeoutMs ?? transport.timeoutMs;
  const maxRetries = options.maxRetries ?? transport.retry.maxRetries;
  const callerSignal = options.signal;
  const userSignal = callerSignal ?? neverAborted;
  const context = { provider: transport.provider, operation: exchange.operation, url: request.url };

  for (let attempt = 1; ; attempt++) {
    exchange.attempts = attempt;
    const canRetry = attempt <= maxRetries;
    // Sleeping past the caller's deadline would turn the server's answer into a bare timeout.
    const withinDeadline = (wait: number | undefined) =>
      wait !== undefined && (options.deadline === undefined || clock.now() + wait < options.deadline)
        ? wait
        : undefined;
    // One controller per attempt, aborted by the timer or by the caller's signal: cheaper than
    // `AbortSignal.any`, whose weak-reference bookkeeping showed up as a third of the per-call cost.
    const attemptController = new AbortController();
    let timedOut = false;
    const cancelTimer = clock.startTimer(timeoutMs, () => {
      timedOut = true;
      attemptController.abort();
    });
    const forwardAbort = () => attemptController.abort(userSignal.reason);
    // A call without a signal of its own needs no listener (adding and removing one showed in the profile).
    if (userSignal.aborted) forwardAbort();
    else callerSignal?.addEventListener('abort', forwardAbort, { once: true });
    const endAttempt = () => {
      cancelTimer();
      callerSignal?.removeEventListener('abort', forwardAbort);
      release(held);
    };
    const started = clock.now();
    const held: Request[] = [];
    let failure: ConnectionError;
    try {
      const response = await fetchFollowingSameOrigin(transport, request, attemptController.signal, held);
      const body = isNodeResponse(response)
        ? response.readBody()
        : await readBody(response, transport.maxResponseBytes);
      endAttempt();
      const retryWait =
        canRetry && transport.isRetryableStatus(response.status)
          ? withinDeadline(retryWaitFor(response, attempt, transport))
          : undefined;
      log(transport, request, exchange, attempt, started, { status: response.status, retryInMs: retryWait });
      if (retryWait === undefined) {
        try {
          exchange.bodyText = decodeBody(body, response.headers.get('content-type'));
        } catch (error) {
          if (error instanceof UnsupportedCharsetError) throw new UnusableResponseError(error.message, response.status);
          throw error;
        }
        exchange.url = response.url || request.url;
        exchange.statusText = response.statusText;
        // The body is read; a caller that takes it from `exchange` can have the response as it is.
        const keep =
          options.keepReadResponse && response.ok && (options.acceptLightResponse || !isNodeResponse(response));
        return keep ? (response as Response) : rebuildResponse(response, body, request.url);
      }
      await sleep(clock, retryWait, userSignal, context);
      continue;
    } catch (error) {
      endAttempt();
      if (userSignal.aborted) throw new UserAbortError({ ...context, cause: userSignal.reason });
      if (error instanceof UserAbortError) throw error;
      if (error instanceof UnusableResponseError) {
        throw new InvalidResponseError({
          ...context,
          status: error.status,
          reason: error.message,
          rawBody: '',
        });
      }
      const cause = withoutSecrets(error, transport.secrets());
      failure = timedOut
        ? new TimeoutError({ ...context, attempts: attempt, timeoutMs, cause })
        : new ConnectionError({ ...context, attempts: attempt, cause });
    }
    const wait = canRetry ? withinDeadline(backoffDelayMs(attempt - 1, transport.retry, clock.random)) : undefined;
    log(transport, request, exchange, attempt, started, { error: failure.message, retryInMs: wait });
    if (wait === undefined) throw failure;
    await sleep(clock, wait, userSignal, context);
  }
}

export const maxRedirects = 5;

/**
 * Follows redirects by hand, and only within the API's origin: fetch would carry a key sent in a
 * custom header (CrowdComputed's `token`) to whatever host a redirect names. A redirect elsewhere
 * is returned as it is and becomes an error that names its target.
 */
async function fetchFollowingSameOrigin(
  transport: TransportOptions,
  request: RequestParts,
  signal: AbortSignal,
  held: Request[],
): Promise<Answer> {
  let { url, method, headers, body } = request;
  let response = await send(transport, url, { method, headers, body, signal, redirect: 'manual' }, held);
  for (let hop = 0; hop < maxRedirects && isRedirect(response.status); hop++) {
    const location = response.headers.get('location');
    if (location === null || !['GET', 'HEAD'].includes(method)) break;
    let target: URL;
    try {
      target = new URL(location, url);
    } catch {
      await response.body?.cancel();
      // Not quoted: a Location can carry anything, the key included.
      throw new UnusableResponseError(`the redirect's Location header is not a valid URL`, response.status);
    }
    if (target.origin !== new URL(request.url).origin) break;
    await response.body?.cancel();
    url = target.href;
    body = null;
    response = await send(transport, url, { method, headers, signal, redirect: 'manual' }, held);
  }
  if (response.type === 'opaqueredirect') {
    // Browsers hide where a manual redirect points, so it cannot be checked.
    throw new Error('the API answered with a redirect, which aicredits does not follow in a browser');
  }
  return response;
}

/**
 * One request of one attempt. The user's fetch is handed a `Request`. Without one, on Node the
 * Node transport sends it (`defaultSend`, see default-send.ts); elsewhere the default is
 * `globalThis.fetch(url, init)`, which builds the only `Request` of the attempt itself (a `Request`
 * of ours would be copied into another) and keeps its link to `signal` alive while it runs.
 */
function send(
  transport: TransportOptions,
  url: string,
  init: RequestInit & { method: string; headers: Headers; signal: AbortSignal },
  held: Request[],
): Promise<Answer> {
  const userFetch = transport.fetch;
  if (userFetch !== undefined) return userFetch(hold(new Request(url, init), held));
  if (defaultSend !== undefined) return defaultSend(url, init, transport.maxResponseBytes);
  return globalThis.fetch(url, init);
}

function isNodeResponse(response: Answer): response is NodeResponse {
  return typeof (response as Partial<NodeResponse>).readBody === 'function';
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

// undici follows a Request's signal through weak references: if the Request handed to a user's
// fetch became unreachable while it runs, a garbage collection would cut the link and neither
// abort would arrive. (`globalThis.fetch(url, init)` keeps the link itself.)
function hold(request: Request, held: Request[]): Request {
  attemptsInFlight.add(request);
  held.push(request);
  return request;
}

function release(held: Request[]): void {
  for (const request of held) attemptsInFlight.delete(request);
}

/** The wait before the next attempt, or `undefined` when the server asked for more than we accept. */
function retryWaitFor(response: Answer, attempt: number, transport: TransportOptions): number | undefined {
  const asked = retryAfterMs(response.headers, transport.clock.now());
  if (asked === undefined) return backoffDelayMs(attempt - 1, transport.retry, transport.clock.random);
  return asked <= transport.retry.maxRetryAfterMs ? asked : undefined;
}

async function sleep(
  clock: Clock,
  milliseconds: number,
  signal: AbortSignal,
  context: { provider: string; operation: string; url: string },
): Promise<void> {
  try {
    await clock.sleep(milliseconds, signal);
  } catch (error) {
    throw new UserAbortError({ ...context, cause: error });
  }
}

async function readBody(response: Response, maxBytes: number): Promise<Uint8Array> {
  const contentLength = response.headers.get('content-length');
  const declared = Number(contentLength);
  // A compressed body's Content-Length counts compressed bytes: only the decoded stream tells its size.
  const encoded = isContentEncoded(response.headers.get('content-encoding'));
  if (contentLength !== null && declared <= maxBytes && !encoded) {
    // A declared size within the cap: one read, no chunk bookkeeping (fetch fails if more arrives).
    return new Uint8Array(await response.arrayBuffer());
  }
  if (declared > maxBytes && !encoded) {
    await response.body?.cancel();
    throw new UnusableResponseError(declaredTooLargeMessage(declared, maxBytes), response.status);
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      throw new UnusableResponseError(tooLargeMessage(maxBytes, encoded), response.status);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function rebuildResponse(response: Answer, body: Uint8Array, requestUrl: string): Response {
  const rebuilt = new Response(nullBodyStatuses.has(response.status) ? null : (body as Uint8Array<ArrayBuffer>), {
    status: response.status,
    // The constructor refuses what some servers send (`401 未授权`); the exchange keeps the original.
    statusText: /^[\t\x20-\x7e\x80-\xff]*$/.test(response.statusText) ? response.statusText : '',
    headers: response.headers,
  });
  // A constructed Response has an empty `url`; errors and users of the raw client need the real one.
  Object.defineProperty(rebuilt, 'url', { value: response.url || requestUrl });
  return rebuilt;
}

function log(
  transport: TransportOptions,
  request: RequestParts,
  exchange: Exchange,
  attempt: number,
  started: number,
  outcome: { status?: number; error?: string; retryInMs: number | undefined },
): void {
  transport.log?.({
    provider: transport.provider,
    operation: exchange.operation,
    method: request.method,
    url: request.url,
    attempt,
    headers: redactHeaders(request.headers, transport.redactedHeaders, transport.secrets()),
    durationMs: transport.clock.now() - started,
    ...outcome,
  });
}

/**
 * The cause to keep for a failure: as it is, unless some text in it quotes a secret, then a plain
 * error with the messages redacted. Not only the messages: undici's `HTTPParserError` keeps the
 * raw bytes it could not parse (`data`), which `util.inspect` shows, and a server may echo the key
 * in a status line or a chunk header.
 */
function withoutSecrets(error: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (!quotesSecret(error, secrets, 0)) return error;
  const texts = [error instanceof Error ? error.message : String(error)];
  if (error instanceof Error && error.cause instanceof Error) texts.push(error.cause.message);
  return new Error(texts.map((text) => redactSecrets(text, secrets)).join(': '));
}

/** Whether a failure, its own properties or its causes (a few levels deep) hold a secret. */
function quotesSecret(value: unknown, secrets: readonly (string | undefined)[], depth: number): boolean {
  if (typeof value === 'string') return containsSecret(value, secrets);
  if (value instanceof Uint8Array) return containsSecret(new TextDecoder('latin1').decode(value), secrets);
  if (typeof value !== 'object' || value === null || depth > 3) return false;
  if (
    value instanceof Error &&
    (quotesSecret(value.message, secrets, depth) || quotesSecret(value.cause, secrets, depth + 1))
  ) {
    return true;
  }
  return Object.values(value).some((property) => quotesSecret(property, secrets, depth + 1));
}
