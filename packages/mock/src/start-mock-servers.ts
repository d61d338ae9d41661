import { access } from 'node:fs/promises';
import { embeddedSpecsDirectory, specFilePath } from './embedded-specs-directory.js';
import type { MockLogger } from './mock-logger.js';
import { isMockProviderId, mockProviderIds, type MockProviderId } from './mock-provider-id.js';
import { trackConnections } from './connection-tracker.js';
import { createPrismConfig } from './prism-config.js';
import { createPrismLogger } from './prism-logger.js';
import { loadPrismModules, type HttpOperation, type PrismModules } from './prism-modules.js';

export interface StartMockServersOptions<Provider extends MockProviderId = MockProviderId> {
  /** Which providers to mock. Default: all of them. */
  providers?: readonly Provider[];
  /** Interface to listen on. Default `'127.0.0.1'`. */
  host?: string;
  /** Port per provider. Default 0: the OS picks a free port. */
  ports?: Partial<Record<MockProviderId, number>>;
  /** Random, schema-valid responses instead of the spec's examples. Default false. */
  dynamic?: boolean;
  /** Makes dynamic responses repeatable: the same seed yields the same body for the same schema. */
  seed?: string | number;
  /** Directory holding `<provider>.yaml`. Default: the specs embedded in this package. */
  specsDirectory?: string;
  /** Receives Prism's log lines. Default: silent. */
  logger?: MockLogger;
}

export interface MockServers<Provider extends MockProviderId = MockProviderId> {
  /** Base URL of each started provider, e.g. `http://127.0.0.1:43121`. */
  readonly urls: Readonly<Record<Provider, string>>;
  /** Stops every server and waits until their ports are released; safe to call more than once. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using servers = await startMockServers()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface StartedServer {
  readonly provider: MockProviderId;
  readonly url: string;
  close(): Promise<void>;
}

const defaultHost = '127.0.0.1';

export async function startMockServers<Provider extends MockProviderId = MockProviderId>(
  options: StartMockServersOptions<Provider> = {},
): Promise<MockServers<Provider>> {
  const providers = validateProviders(options.providers ?? (mockProviderIds as readonly Provider[]));
  const ports = validatePorts(options.ports ?? {});
  const host = options.host ?? defaultHost;
  const specsDirectory = options.specsDirectory ?? embeddedSpecsDirectory;
  const seed = validateSeed(options.seed);
  const prism = await loadPrismModules();

  // Every operation is loaded before anything listens: a broken spec then fails the whole call
  // without a single socket to clean up.
  const loaded = await Promise.allSettled(
    providers.map((provider) => loadOperations(prism, provider, specFilePath(specsDirectory, provider))),
  );
  throwIfAnyFailed(loaded);
  const operationsByProvider = loaded.map((result) => (result as PromiseFulfilledResult<HttpOperation[]>).value);

  // json-schema-faker is one global shared by every Prism server in the process. Resetting it,
  // as `prism mock` does at start-up, stops an unseeded run from continuing the seeded random
  // generator a previous run left behind.
  prism.resetJSONSchemaGenerator();

  const started = await Promise.allSettled(
    providers.map((provider, index) =>
      listen(prism, {
        provider,
        specFile: specFilePath(specsDirectory, provider),
        operations: operationsByProvider[index] ?? [],
        host,
        port: ports[provider] ?? 0,
        dynamic: options.dynamic ?? false,
        seed,
        logger: options.logger,
      }),
    ),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (servers.length < started.length) {
    await closeAll(servers).catch(() => {
      // The start-up error below is the one worth reporting; a failed clean-up would hide it.
    });
    throwIfAnyFailed(started);
  }

  const urls = Object.freeze(Object.fromEntries(servers.map((server) => [server.provider, server.url]))) as Readonly<
    Record<Provider, string>
  >;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeAll(servers));
  return { urls, close, [Symbol.asyncDispose]: close };
}

async function loadOperations(
  prism: PrismModules,
  provider: MockProviderId,
  specFile: string,
): Promise<HttpOperation[]> {
  try {
    await access(specFile);
  } catch {
    throw new Error(`Cannot mock ${provider}: spec file ${specFile} does not exist`);
  }
  let operations: HttpOperation[];
  try {
    operations = await prism.getHttpOperationsFromSpec(specFile);
  } catch (error) {
    throw new Error(`Cannot mock ${provider}: spec file ${specFile} could not be read: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (operations.length === 0) {
    // Prism would happily serve 404s for everything; for a mock that is never what was meant.
    throw new Error(`Cannot mock ${provider}: spec file ${specFile} has no operations`);
  }
  return operations;
}

interface ListenOptions {
  provider: MockProviderId;
  specFile: string;
  operations: HttpOperation[];
  host: string;
  port: number;
  dynamic: boolean;
  seed: string | undefined;
  logger: MockLogger | undefined;
}

async function listen(prism: PrismModules, options: ListenOptions): Promise<StartedServer> {
  const { provider, specFile, host, port } = options;
  const server = prism.createServer(options.operations, {
    cors: true,
    config: createPrismConfig({ dynamic: options.dynamic, seed: options.seed }),
    components: { logger: createPrismLogger(options.logger, provider) },
  });
  const connections = trackConnections();
  let address: string;
  try {
    address = await server.listen(port, host);
  } catch (error) {
    connections.destroyAllAndStop();
    // Prism rejects with the bare error message string (e.g. "listen EADDRINUSE: ..."), hence messageOf().
    throw new Error(
      `Cannot mock ${provider} (spec file ${specFile}): could not listen on ${host}:${port}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  const bound = parsePrismAddress(address);
  connections.listenedOn(bound.address, bound.port);
  return {
    provider,
    url: `http://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: async () => {
      // Stop accepting first (which also drops idle keep-alive connections), then cut whatever
      // is left so a half-open client cannot keep the server, and close(), waiting.
      const closing = server.close();
      connections.destroyAllAndStop();
      await closing;
    },
  };
}

// Prism reports `http://${address}:${port}`, which is not a valid URL for IPv6 addresses.
function parsePrismAddress(prismAddress: string): { address: string; port: number } {
  const hostAndPort = prismAddress.replace(/^http:\/\//, '');
  const separator = hostAndPort.lastIndexOf(':');
  return { address: hostAndPort.slice(0, separator), port: Number(hostAndPort.slice(separator + 1)) };
}

async function closeAll(servers: readonly StartedServer[]): Promise<void> {
  const results = await Promise.allSettled(servers.map((server) => server.close()));
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected' ? [`${servers[index]?.provider}: ${messageOf(result.reason)}`] : [],
  );
  // server.close() reports success before libuv has released the listening handles; one turn
  // of the event loop lets them go, so callers that check for open handles right after see none.
  await new Promise((resolve) => setImmediate(resolve));
  if (failures.length > 0) {
    throw new Error(`Could not close every mock server: ${failures.join('; ')}`);
  }
}

function throwIfAnyFailed(results: readonly PromiseSettledResult<unknown>[]): void {
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (failures.length === 0) return;
  throw new Error(failures.map(messageOf).join('\n'), { cause: failures[0] });
}

function validateProviders<Provider extends MockProviderId>(providers: readonly Provider[]): Provider[] {
  const unknown = providers.filter((provider) => !isMockProviderId(provider));
  if (unknown.length > 0) {
    throw new Error(`Unknown mock provider ${unknown.join(', ')}; expected one of ${mockProviderIds.join(', ')}`);
  }
  if (providers.length === 0) {
    throw new Error('No mock provider selected; omit `providers` to start all of them');
  }
  // Canonical order, whatever order they were asked in, so `urls` and the bin's output are stable.
  return mockProviderIds.filter((provider): provider is Provider =>
    (providers as readonly MockProviderId[]).includes(provider),
  );
}

function validatePorts(ports: Partial<Record<MockProviderId, number>>): Partial<Record<MockProviderId, number>> {
  for (const [provider, port] of Object.entries(ports)) {
    if (!isMockProviderId(provider)) {
      throw new Error(`Port given for unknown mock provider ${provider}`);
    }
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      throw new Error(`Port for ${provider} must be an integer from 0 to 65535, got ${String(port)}`);
    }
  }
  return ports;
}

function validateSeed(seed: string | number | undefined): string | undefined {
  if (seed === undefined) return undefined;
  // Prism only seeds when the seed is truthy, so '' would silently mean "not seeded".
  const text = String(seed);
  if (text === '') throw new Error('seed must not be empty');
  return text;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
