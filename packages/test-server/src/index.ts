import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer. */
export interface ScriptedResponse {
  /** Default 200. */
  status?: number;
  /**
   * Default `content-type: application/json`. A `content-type` given here replaces the default; an
   * empty string sends no content type at all. `content-length` is set from the body unless given.
   */
  headers?: Record<string, string>;
  /** A string or bytes are sent as they are; any other object is sent as JSON. Default: empty. */
  body?: string | Uint8Array | object;
  /** Wait before sending the headers. */
  delayMs?: number;
  /** Send these bytes of the body, then destroy the socket (connection reset mid-body). */
  cutAfterBytes?: number;
  /** Destroy the socket without any response. */
  destroy?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** `Date.now()` when the request's headers arrived. */
  receivedAt: number;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request received, in order, recorded as soon as its headers arrive. */
  requests: RecordedRequest[];
  /** Responses served in order; the last one repeats forever. Replaces any earlier script or handler. */
  respondWith(...responses: ScriptedResponse[]): void;
  /** Full control instead of a script. Requests are still recorded. */
  handle(handler: (request: IncomingMessage, response: ServerResponse) => void): void;
  /** Closes every socket and the server, cancelling delayed responses. Idempotent. */
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Starts a server on 127.0.0.1 with a free port. Until scripted, it answers 500. */
export async function startTestServer(): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const requests: RecordedRequest[] = [];
  let handler: Handler = (_request, response) =>
    serve({ status: 500, body: { error: 'test-server: no response scripted' } }, response, timers);
  let closing: Promise<void> | undefined;

  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: { ...request.headers },
      receivedAt: Date.now(),
    });
    // Drain any request body so that the response is never blocked on it.
    request.resume();
    handler(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that aborts mid-response makes writes fail; that is what these tests provoke.
    socket.on('error', () => {});
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(...responses) {
      const script = responses.length === 0 ? [{}] : responses;
      let next = 0;
      handler = (_request, response) => {
        const scripted = script[Math.min(next, script.length - 1)]!;
        next++;
        serve(scripted, response, timers);
      };
    },
    handle(custom) {
      handler = custom;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}

function serve(scripted: ScriptedResponse, response: ServerResponse, timers: Set<ReturnType<typeof setTimeout>>): void {
  const send = () => {
    if (response.destroyed || response.socket === null) return;
    if (scripted.destroy) {
      response.socket.destroy();
      return;
    }
    const body = encodeBody(scripted.body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(scripted.headers ?? {})) headers[name.toLowerCase()] = value;
    if (headers['content-type'] === '') delete headers['content-type'];
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
      headers['content-length'] = String(body.byteLength);
    }
    response.writeHead(scripted.status ?? 200, headers);
    if (scripted.cutAfterBytes === undefined) {
      response.end(body);
      return;
    }
    const socket = response.socket;
    response.flushHeaders();
    const sent = body.subarray(0, scripted.cutAfterBytes);
    if (sent.byteLength > 0) response.write(sent);
    // Queued behind the headers and the partial body, so the reset comes after they left.
    socket.write(new Uint8Array(), () => socket.destroy());
  };
  if (scripted.delayMs === undefined || scripted.delayMs <= 0) {
    send();
    return;
  }
  const timer = setTimeout(() => {
    timers.delete(timer);
    send();
  }, scripted.delayMs);
  timers.add(timer);
  // The client gave up (timeout, abort): nothing left to send.
  response.on('close', () => {
    clearTimeout(timer);
    timers.delete(timer);
  });
}

function encodeBody(body: ScriptedResponse['body']): Uint8Array {
  if (body === undefined) return new Uint8Array();
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  return Buffer.from(JSON.stringify(body), 'utf8');
}

export { expectNoSecret, expectNoSecretFragment, renderingsOf } from './expect-no-secret.js';
export { fetchNotingHeaders } from './fetch-noting-headers.js';
export { type ManualClock, manualClock } from './manual-clock.js';
export {
  type FetchedRequest,
  type RecordingFetch,
  recordingFetch,
  type RecordingFetchOptions,
} from './recording-fetch.js';
export {
  type ProviderSpec,
  readProviderSpec,
  repositorySpecsDirectory,
  type SpecOperation,
  type SpecResponse,
} from './spec-reader.js';
export {
  describeOutcome,
  type Outcome,
  type RecordingClock,
  recordingClock,
  rejectionOf,
  seededDynamicOutcomes,
  withEnvironment,
} from './test-utilities.js';
