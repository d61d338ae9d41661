import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { toJsonText } from './api-documents.js';
import { type EncodedBlock, gzipChunks, plainChunks } from './encoded-blocks.js';

/** What the server reads; every method answers from memory or the store, never from a provider. */
export interface ServeSource {
  /** The `/metrics` exposition. */
  metrics(): Promise<EncodedBlock[]>;
  readonly metricsContentType: string;
  /** The `/api/balances` document. */
  balances(): EncodedBlock[];
  /** The `/api/history` answer for the query's `account`, `provider` and `since`. */
  history(query: HistoryQuery): Promise<{ status: number; document: unknown }>;
  /** `undefined` when ready (every account has a reading to show and the store takes writes), else why not. */
  notReadyReason(): string | undefined;
}

export interface HistoryQuery {
  account: string | undefined;
  provider: string | undefined;
  /** As given: a duration like `7d` back from now, or an ISO 8601 date; default `7d`. */
  since: string | undefined;
}

export interface ServeServerOptions {
  source: ServeSource;
  /** Default `127.0.0.1`. */
  host?: string | undefined;
  /** Default 0: any free port. */
  port?: number | undefined;
  /** When set, every path but `/healthz` needs `Authorization: Bearer <token>` (or Basic with it as the password). */
  token?: string | undefined;
}

export interface ServeServer {
  /** `http://host:port/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Where the dashboard's files are: `dashboard/` beside `dist/` (and beside `src/` in the repository). */
const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Asset {
  body: Buffer;
  type: string;
}

function loadAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const uplot = path.dirname(require.resolve('uplot/package.json'));
  const dashboard = path.join(packageDirectory, 'dashboard');
  const files: [string, string, string][] = [
    ['/', path.join(dashboard, 'index.html'), 'text/html; charset=utf-8'],
    ['/assets/dashboard.js', path.join(dashboard, 'dashboard.js'), 'text/javascript; charset=utf-8'],
    ['/assets/dashboard.css', path.join(dashboard, 'dashboard.css'), 'text/css; charset=utf-8'],
    ['/assets/uPlot.iife.min.js', path.join(uplot, 'dist/uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
    ['/assets/uPlot.min.css', path.join(uplot, 'dist/uPlot.min.css'), 'text/css; charset=utf-8'],
  ];
  return new Map(files.map(([route, file, type]) => [route, { body: readFileSync(file), type }]));
}

/** No inline script or style, no other origin: provider text that slipped into markup could not run. */
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The `aicredits serve` HTTP server (node:http). GET and HEAD only. On a loopback address it also
 * refuses requests whose Host is not a loopback name, so a web page cannot read it through DNS
 * rebinding.
 */
export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const host = options.host ?? '127.0.0.1';
  const assets = loadAssets();
  const tokenDigest = options.token === undefined ? undefined : digest(options.token);
  const loopbackOnly = loopbackHosts.has(host) || host.startsWith('127.');

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      // Never the error's text: it could carry provider or store details.
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    response.setHeader('cache-control', 'no-store');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    if (loopbackOnly && !loopbackHosts.has(hostName(request.headers.host))) {
      return send(response, 421, 'text/plain; charset=utf-8', 'this server only answers to a loopback host name\n');
    }
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      return send(response, 400, 'text/plain; charset=utf-8', 'bad request\n');
    }
    if (url.pathname === '/healthz') return send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
    if (tokenDigest !== undefined && !authorized(request.headers.authorization, tokenDigest)) {
      response.setHeader('www-authenticate', ['Bearer realm="aicredits"', 'Basic realm="aicredits", charset="UTF-8"']);
      return send(response, 401, 'text/plain; charset=utf-8', 'unauthorized\n');
    }
    switch (url.pathname) {
      case '/metrics':
        return sendBlocks(response, options.source.metricsContentType, await options.source.metrics());
      case '/api/balances':
        return sendBlocks(response, 'application/json; charset=utf-8', options.source.balances());
      case '/api/history': {
        const { status, document } = await options.source.history({
          account: url.searchParams.get('account') ?? undefined,
          provider: url.searchParams.get('provider') ?? undefined,
          since: url.searchParams.get('since') ?? undefined,
        });
        return send(response, status, 'application/json; charset=utf-8', `${toJsonText(document)}\n`);
      }
      case '/readyz': {
        const reason = options.source.notReadyReason();
        return reason === undefined
          ? send(response, 200, 'text/plain; charset=utf-8', 'ready\n')
          : send(response, 503, 'text/plain; charset=utf-8', `not ready: ${reason}\n`);
      }
      default: {
        const asset = assets.get(url.pathname);
        if (asset === undefined) return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
        if (asset.type.startsWith('text/html')) {
          response.setHeader('content-security-policy', contentSecurityPolicy);
          response.setHeader('x-frame-options', 'DENY');
        }
        return send(response, 200, asset.type, asset.body);
      }
    }
  }

  /** Cached blocks written as they are (gzip from their cached deflate bytes when asked for it). */
  function sendBlocks(response: ServerResponse, type: string, blocks: EncodedBlock[]): void {
    const gzip = acceptsGzip(response.req.headers['accept-encoding']);
    const chunks = gzip ? gzipChunks(blocks) : plainChunks(blocks);
    response.statusCode = 200;
    response.setHeader('content-type', type);
    response.setHeader('vary', 'accept-encoding');
    if (gzip) response.setHeader('content-encoding', 'gzip');
    let size = 0;
    for (const chunk of chunks) size += chunk.length;
    response.setHeader('content-length', size);
    if (response.req.method === 'HEAD') return void response.end();
    // One writev for all the chunks, no copy into one buffer.
    response.socket?.cork();
    for (const chunk of chunks) response.write(chunk);
    response.end();
    response.socket?.uncork();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.statusCode = status;
  response.setHeader('content-type', type);
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** `gzip` listed in Accept-Encoding and not refused with `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...parameters] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return (colon === -1 ? header : header.slice(0, colon)).toLowerCase();
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares digests in constant time, so the comparison says nothing of how much of the token matched. */
function authorized(header: string | undefined, tokenDigest: Buffer): boolean {
  if (header === undefined) return false;
  const [scheme = '', credentials = ''] = header.trim().split(/\s+/, 2);
  let presented: string;
  if (scheme.toLowerCase() === 'bearer') presented = credentials;
  else if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    presented = decoded.slice(decoded.indexOf(':') + 1);
  } else return false;
  return timingSafeEqual(digest(presented), tokenDigest);
}

/** `7d` (back from now) or an ISO 8601 date. */
export function parseSince(
  text: string,
  now: Date,
  parseDuration: (text: string) => number | undefined,
): Date | undefined {
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(now.getTime() - duration);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
