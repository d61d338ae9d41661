import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type MockProviderId, mockProviderIds } from './mock-provider-id.js';
import { type MockServers, startMockServers, type StartMockServersOptions } from './start-mock-servers.js';
import { connectionIsRefused, findFreePorts, occupyPort, openSocket, untilClosed } from './test-support/ports.js';
import { readSpecOperations, repositorySpecsDirectory, type SpecOperation } from './test-support/spec-operations.js';

const specOperations: SpecOperation[] = mockProviderIds.flatMap((provider) =>
  readSpecOperations(repositorySpecsDirectory, provider),
);
const authenticatedOperations = specOperations.filter((operation) => operation.requiresAuthentication);
const operationsWithSeveralExamples = specOperations.filter((operation) => operation.successExamples.length > 1);
const declaredStatusCases = specOperations.flatMap((operation) =>
  operation.declaredStatuses.map((status) => ({ ...operation, status })),
);

function request(
  servers: MockServers,
  operation: SpecOperation,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${servers.urls[operation.provider]}${operation.requestPath}`, {
    method: operation.method,
    headers: { ...operation.authenticationHeaders, ...headers },
  });
}

async function withMockServers<Result>(
  options: StartMockServersOptions,
  use: (servers: MockServers) => Promise<Result>,
): Promise<Result> {
  const servers = await startMockServers({ specsDirectory: repositorySpecsDirectory, ...options });
  try {
    return await use(servers);
  } finally {
    await servers.close();
  }
}

async function dynamicBodies(seed: string | number | undefined): Promise<string[]> {
  return withMockServers({ dynamic: true, seed }, (servers) =>
    Promise.all(specOperations.map(async (operation) => (await request(servers, operation)).text())),
  );
}

function makeTemporarySpecsDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'aicredits-mock-specs-'));
  cpSync(repositorySpecsDirectory, directory, { recursive: true });
  return directory;
}

describe('startMockServers, static mode, all providers', () => {
  let servers: MockServers;

  beforeAll(async () => {
    // As written: these tests compare Prism's answers with the spec's examples themselves.
    servers = await startMockServers({ specsDirectory: repositorySpecsDirectory, dates: 'as-written' });
  });

  afterAll(async () => {
    await servers?.close();
  });

  it('gives every provider a base URL on 127.0.0.1', () => {
    expect(Object.keys(servers.urls)).toEqual([...mockProviderIds]);
    for (const url of Object.values(servers.urls)) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('knows at least one operation of every provider spec', () => {
    expect(new Set(specOperations.map((operation) => operation.provider))).toEqual(new Set(mockProviderIds));
  });

  it.each(specOperations)(
    '$provider $operationName answers with its success status and first example',
    async (operation) => {
      const response = await request(servers, operation);
      expect(response.status).toBe(operation.successStatus);
      const body: unknown = await response.json();
      const firstExample = operation.successExamples[0];
      // Without an example Prism falls back to a schema-generated body, which has nothing to compare with.
      if (firstExample !== undefined) expect(body).toEqual(firstExample[1]);
    },
  );

  it.each(authenticatedOperations)('$provider $operationName answers 401 without credentials', async (operation) => {
    const response = await fetch(`${servers.urls[operation.provider]}${operation.requestPath}`, {
      method: operation.method,
    });
    expect(response.status).toBe(401);
    // Prism says why in a header; the body is the spec's 401 example (or a problem+json of its own).
    expect(response.headers.get('sl-violations')).toContain('Invalid security scheme');
  });

  it.each(authenticatedOperations)('$provider $operationName answers 401 for Prefer: code=401', async (operation) => {
    const response = await request(servers, operation, { prefer: 'code=401' });
    expect(response.status).toBe(401);
  });

  it.each(declaredStatusCases)('$provider $operationName honours Prefer: code=$status', async (operation) => {
    const response = await request(servers, operation, { prefer: `code=${operation.status}` });
    expect(response.status).toBe(operation.status);
    await response.body?.cancel();
  });

  it.each(operationsWithSeveralExamples)(
    '$provider $operationName honours Prefer: example=<name> for every named example',
    async (operation) => {
      for (const [name, value] of operation.successExamples) {
        const response = await request(servers, operation, { prefer: `example=${name}` });
        expect(await response.json()).toEqual(value);
      }
    },
  );

  it('honours Prefer: dynamic=true on a static server', async () => {
    const [operation] = specOperations.filter((candidate) => candidate.successExamples.length > 0);
    if (operation === undefined) throw new Error('No operation with an example to compare with');
    const response = await request(servers, operation, { prefer: 'dynamic=true' });
    expect(response.status).toBe(operation.successStatus);
    expect(await response.json()).not.toEqual(operation.successExamples[0]?.[1]);
  });

  it('negotiates every request by its own Accept header, whatever an earlier one accepted', async () => {
    const accounts = `${servers.urls.pixverse}/v2/pixverse/accounts`;
    const headers = { authorization: 'Bearer test-credential', prefer: 'code=404' };
    for (const accept of ['application/json', 'text/plain', 'application/json', 'text/plain']) {
      const response = await fetch(accounts, { headers: { ...headers, accept } });
      expect([response.status, response.headers.get('content-type')]).toEqual([404, accept]);
      await response.body?.cancel();
    }
  });

  it('answers CORS preflights so browsers can call the mocks', async () => {
    const response = await fetch(servers.urls.pixverse, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization');
  });
});

describe('startMockServers, dynamic mode', () => {
  it('repeats the same bodies for the same seed across two runs', async () => {
    const first = await dynamicBodies('aicredits');
    const second = await dynamicBodies('aicredits');
    expect(second).toEqual(first);
  });

  it('gives different bodies for a different seed', async () => {
    expect(await dynamicBodies('aicredits')).not.toEqual(await dynamicBodies('another seed'));
  });

  it('treats a numeric seed like its string form', async () => {
    expect(await dynamicBodies(42)).toEqual(await dynamicBodies('42'));
  });

  it('varies between runs without a seed', async () => {
    expect(await dynamicBodies(undefined)).not.toEqual(await dynamicBodies(undefined));
  });
});

describe('startMockServers, options and failures', () => {
  it('starts only the chosen providers, on the chosen ports', async () => {
    const [pixversePort, iqqzPort] = await findFreePorts(2);
    await withMockServers(
      { providers: ['pixverse', 'iqqz'], ports: { pixverse: pixversePort, iqqz: iqqzPort } },
      async (servers) => {
        expect(servers.urls).toEqual({
          pixverse: `http://127.0.0.1:${pixversePort}`,
          iqqz: `http://127.0.0.1:${iqqzPort}`,
        });
      },
    );
  });

  it('rejects a port already in use, naming the provider and spec, and leaves nothing listening', async () => {
    const busy = await occupyPort();
    try {
      const freePorts = await findFreePorts(3);
      const ports: Partial<Record<MockProviderId, number>> = {
        crowdcomputed: freePorts[0],
        pixverse: freePorts[1],
        imaginepro: busy.port,
        iqqz: freePorts[2],
      };
      const starting = startMockServers({ specsDirectory: repositorySpecsDirectory, ports });
      await expect(starting).rejects.toThrow(/imaginepro.*imaginepro\.yaml.*EADDRINUSE/);
      for (const port of freePorts) {
        expect(await connectionIsRefused(`http://127.0.0.1:${port}`)).toBe(true);
      }
    } finally {
      await busy.release();
    }
  });

  it('rejects a broken spec, naming the provider and spec file, before listening anywhere', async () => {
    const directory = makeTemporarySpecsDirectory();
    try {
      writeFileSync(path.join(directory, 'iqqz.yaml'), 'openapi: 3.1.0\npaths: [unclosed\n');
      const [port] = await findFreePorts(1);
      const starting = startMockServers({ specsDirectory: directory, ports: { pixverse: port } });
      await expect(starting).rejects.toThrow(new RegExp(`iqqz: spec file .*iqqz\\.yaml could not be read`));
      expect(await connectionIsRefused(`http://127.0.0.1:${port}`)).toBe(true);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rejects a missing spec file', async () => {
    const directory = makeTemporarySpecsDirectory();
    try {
      rmSync(path.join(directory, 'crowdcomputed.yaml'));
      await expect(startMockServers({ specsDirectory: directory })).rejects.toThrow(
        /crowdcomputed: spec file .*crowdcomputed\.yaml does not exist/,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rejects a spec without operations', async () => {
    const directory = makeTemporarySpecsDirectory();
    try {
      writeFileSync(
        path.join(directory, 'pixverse.yaml'),
        'openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths: {}\n',
      );
      await expect(startMockServers({ specsDirectory: directory, providers: ['pixverse'] })).rejects.toThrow(
        /pixverse: spec file .*pixverse\.yaml has no operations/,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rejects invalid options before starting anything', async () => {
    await expect(startMockServers({ providers: ['midjourney' as MockProviderId] })).rejects.toThrow(
      /Unknown mock provider midjourney/,
    );
    await expect(startMockServers({ providers: [] })).rejects.toThrow(/No mock provider selected/);
    await expect(startMockServers({ ports: { pixverse: 70000 } })).rejects.toThrow(/Port for pixverse/);
    await expect(startMockServers({ seed: '' })).rejects.toThrow(/seed must not be empty/);
  });
});

describe('MockServers.close', () => {
  it('closes every port, and a second close is harmless', async () => {
    const servers = await startMockServers({ specsDirectory: repositorySpecsDirectory });
    try {
      // A kept-alive connection must not hold a server open.
      await (await fetch(`${servers.urls.pixverse}/`)).body?.cancel();
    } finally {
      await servers.close();
    }
    await servers.close();
    for (const url of Object.values(servers.urls)) {
      expect(await connectionIsRefused(url)).toBe(true);
    }
  });

  it('does not wait for clients that connected but sent nothing, or half a request', async () => {
    const servers = await startMockServers({ specsDirectory: repositorySpecsDirectory, providers: ['pixverse'] });
    const { port } = new URL(servers.urls.pixverse);
    const sockets = await Promise.all([openSocket(Number(port)), openSocket(Number(port))]);
    try {
      const received = sockets.map(untilClosed);
      sockets[1]?.write('GET /v2/pixverse/features/ HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      // An answer on a later connection means the server has accepted both sockets and read the
      // half request, whose bytes were queued first. Without it, close() could find them still in
      // the backlog, which closing the listener resets whether or not close() ends connections.
      await (await fetch(`${servers.urls.pixverse}/`)).body?.cancel();
      // Were these connections left to Node, close() would never resolve (http.Server#close ends
      // idle connections only and stops the checks that would answer these with a 408 after the
      // headers timeout) and the test's timeout would report the hang. The server must end both
      // without an answer.
      await servers.close();
      expect(await Promise.all(received)).toEqual(['', '']);
      expect(await connectionIsRefused(servers.urls.pixverse)).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await servers.close();
    }
  });

  it('is what Symbol.asyncDispose does, for `await using`', async () => {
    const servers = await startMockServers({ specsDirectory: repositorySpecsDirectory, providers: ['iqqz'] });
    try {
      await servers[Symbol.asyncDispose]();
      expect(await connectionIsRefused(servers.urls.iqqz)).toBe(true);
    } finally {
      await servers.close();
    }
  });
});
