import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { transportUnderTest } from './testing/test-provider.js';

// What only a process of its own shows: that the pooled keep-alive sockets never keep it alive
// (a CLI run must end by itself), and HTTPS with Node's default certificate checks, which read
// NODE_EXTRA_CA_CERTS at start-up. The client is bundled from this source with esbuild, so it is
// the code under test and not the last build; it runs once per transport, like every file here.

const run = promisify(execFile);
const sourceDirectory = path.dirname(fileURLToPath(import.meta.url));
const childKey = 'sk-child-KEY-0000000000';

/** One call of the test provider's balance, printed as JSON; the process is left to end by itself. */
const childSource = `
import { createApiClient } from './provider-utils.ts';
const [baseURL, transport] = process.argv.slice(2);
const definition = {
  id: 'testprovider',
  defaultBaseURL: baseURL,
  apiKeyEnvironmentVariable: 'AICREDITS_TESTPROVIDER_API_KEY',
  authenticate: (apiKey) => ({ Authorization: 'Bearer ' + apiKey }),
};
const api = createApiClient(definition, {
  apiKey: ${JSON.stringify(childKey)},
  baseURL,
  maxRetries: 0,
  ...(transport === 'fetch' ? { fetch: globalThis.fetch } : {}),
});
const validator = Object.assign(() => true, { errors: null });
const outcome = await api
  .call({ name: 'getBalance', send: (init) => api.client.GET('/v1/balance', init), validator })
  .then((data) => ({ data }), (error) => ({ error: error.name, message: error.message }));
process.stdout.write(JSON.stringify(outcome));
`;

let directory: string;
let childScript: string;
let certificate: { key: string; cert: string; path: string };

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'aicredits-transport-'));
  childScript = path.join(directory, 'child.mjs');
  await build({
    stdin: { contents: childSource, resolveDir: sourceDirectory, loader: 'js', sourcefile: 'child.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: childScript,
    logLevel: 'silent',
  });
  // A self-signed certificate for 127.0.0.1: node:crypto cannot make one, openssl can.
  const keyPath = path.join(directory, 'key.pem');
  const certPath = path.join(directory, 'cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  certificate = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), path: certPath };
}, 60_000);

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Runs the child against `baseURL`; a child that does not end by itself is killed and fails the case. */
async function runChild(baseURL: string, environment: Record<string, string> = {}) {
  const { NODE_EXTRA_CA_CERTS: _ignored, ...inherited } = process.env;
  const result = await run(process.execPath, [childScript, baseURL, transportUnderTest], {
    env: { ...inherited, ...environment },
    // Only a guard against a hang: the case fails when it fires.
    timeout: 60_000,
    killSignal: 'SIGKILL',
  }).then(
    ({ stdout }) => ({ stdout, killed: false }),
    (error: { stdout?: string; killed?: boolean; signal?: string }) => ({
      stdout: error.stdout ?? '',
      killed: error.killed === true || error.signal === 'SIGKILL',
    }),
  );
  expect(result.killed, 'the child did not end by itself').toBe(false);
  return JSON.parse(result.stdout) as { data?: unknown; error?: string; message?: string };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return String((server.address() as AddressInfo).port);
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const answer = (_request: unknown, response: import('node:http').ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"balance": 13}');
};

describe(`a process using the ${transportUnderTest} transport`, () => {
  it('ends by itself while its keep-alive connection is still open', async () => {
    const server = createHttpServer(answer);
    // The server would keep the connection for ten minutes: only the client can let the process end.
    server.keepAliveTimeout = 600_000;
    try {
      const port = await listen(server);
      expect(await runChild(`http://127.0.0.1:${port}`)).toEqual({ data: { balance: 13 } });
    } finally {
      await close(server);
    }
  }, 120_000);

  it('speaks HTTPS, trusting a certificate only through the default checks', async () => {
    const server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, answer);
    try {
      const port = await listen(server);
      const baseURL = `https://127.0.0.1:${port}`;
      expect(await runChild(baseURL, { NODE_EXTRA_CA_CERTS: certificate.path })).toEqual({ data: { balance: 13 } });
      const untrusted = await runChild(baseURL);
      expect(untrusted.error).toBe('ConnectionError');
      expect(untrusted.message).toMatch(/self[- ]signed certificate/);
      expect(untrusted.message).not.toContain(childKey);
    } finally {
      await close(server);
    }
  }, 120_000);
});
