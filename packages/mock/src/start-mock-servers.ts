import { access } from 'node:fs/promises';

import { type MockDrain, validateDrain } from './credit-drain.js';
import { renderDatesNear } from './current-dates.js';
import { embeddedSpecsDirectory, specFilePath } from './embedded-specs-directory.js';
import type { MockLogger } from './mock-logger.js';
import { MockOptionsError } from './mock-options-error.js';
import { isMockProviderId, type MockProviderId, mockProviderIds } from './mock-provider-id.js';
import { type MockDelay, type MockScenario, scenarioCatalog, validateDelay } from './mock-scenario.js';
import { createPrismConfig } from './prism-config.js';
import { createPrismLogger } from './prism-logger.js';
import { type HttpOperation, loadPrismModules, type PrismModules } from './prism-modules.js';
import {
  adminPrefix,
  createProviderServer,
  type MockClock,
  type MockProviderState,
  type ProviderServer,
} from './provider-server.js';
import type { MockJournalEntry } from './request-journal.js';

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
  /** Receives Prism's log lines, credentials redacted. Default: silent. */
  logger?: MockLogger;
  /**
   * The state each provider starts in: a scenario name (`'low-credits'`), a comma-separated
   * sequence (`'rate-limited,unavailable,default'`), or steps. Default: `'default'`.
   */
  scenarios?: Partial<Record<MockProviderId, MockScenario>>;
  /** A wait before every answer of a provider: milliseconds, or `{ min, max }` drawn per request. */
  delays?: Partial<Record<MockProviderId, MockDelay>>;
  /** Credits that run down by `amount` per balance request, or per `everyMs` of the clock. */
  drain?: Partial<Record<MockProviderId, MockDrain>>;
  /**
   * `'current'` moves example dates to around the server's start: renewals 30 days ahead,
   * "expired" examples 30 days ago, spacing kept. `'as-written'` (default here, so suites that
   * compare answers with the spec stay exact; the bin defaults to `'current'`) serves them unchanged.
   */
  dates?: 'current' | 'as-written';
  /** Time for draining credits, current dates and the journal. Default `Date`. */
  clock?: MockClock;
  /** How many requests per provider the journal keeps (the latest). Default 100; 0 turns it off. */
  journalSize?: number;
}

export interface MockServers<Provider extends MockProviderId = MockProviderId> {
  /** Base URL of each started provider, e.g. `http://127.0.0.1:43121`. */
  readonly urls: Readonly<Record<Provider, string>>;
  /** Switches a provider to another scenario, from its first step; throws for an unknown name. */
  setScenario(provider: Provider, scenario: MockScenario): void;
  /** Restarts sequences and refills draining credits, of one provider or all. */
  reset(provider?: Provider): void;
  /** One provider's scenario, position, drained credits and known scenario names. */
  state(provider: Provider): MockProviderState;
  /** The latest requests (credentials redacted), oldest first, of one provider or all. */
  journal(provider?: Provider): MockJournalEntry[];
  clearJournal(provider?: Provider): void;
  /** Stops every server and waits until their ports are released; safe to call more than once. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using servers = await startMockServers()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface StartedServer {
  readonly provider: MockProviderId;
  readonly url: string;
  readonly server: ProviderServer;
  close(): Promise<void>;
}

const defaultHost = '127.0.0.1';
const defaultJournalSize = 100;
const systemClock: MockClock = { now: () => Date.now() };

export async function startMockServers<Provider extends MockProviderId = MockProviderId>(
  options: StartMockServersOptions<Provider> = {},
): Promise<MockServers<Provider>> {
  const providers = validateProviders(options.providers ?? (mockProviderIds as readonly Provider[]));
  const ports = validatePorts(options.ports ?? {});
  const host = options.host ?? defaultHost;
  const specsDirectory = options.specsDirectory ?? embeddedSpecsDirectory;
  const seed = validateSeed(options.seed);
  const perProvider = validatePerProvider(options);
  const clock = options.clock ?? systemClock;
  const dates = options.dates ?? 'as-written';
  if (dates !== 'current' && dates !== 'as-written')
    throw new MockOptionsError(`dates must be 'current' or 'as-written'`);
  const journalSize = options.journalSize ?? defaultJournalSize;
  if (!(Number.isInteger(journalSize) && journalSize >= 0 && journalSize <= 100_000)) {
    throw new MockOptionsError('journalSize must be an integer from 0 to 100000');
  }
  const prism = await loadPrismModules();

  // Every operation is loaded before anything listens: a broken spec then fails the whole call
  // without a single socket to clean up.
  const loaded = await Promise.allSettled(
    providers.map((provider) => loadOperations(prism, provider, specFilePath(specsDirectory, provider))),
  );
  throwIfAnyFailed(loaded);
  const operationsByProvider = loaded.map((result) => (result as PromiseFulfilledResult<HttpOperation[]>).value);
  if (dates === 'current') {
    const now = clock.now();
    for (const operations of operationsByProvider) renderExampleDates(operations, now);
  }
  // Scenarios are checked against each spec before anything listens, like the specs themselves.
  const servers = providers.map((provider, index) => {
    const operations = operationsByProvider[index] ?? [];
    return createProviderServer({
      provider,
      operations,
      catalog: catalogOf(operations),
      prism,
      config: createPrismConfig({ dynamic: options.dynamic ?? false, seed }),
      prismLogger: createPrismLogger(options.logger, provider),
      logger: options.logger,
      scenario: options.scenarios?.[provider],
      delay: perProvider.delays[provider],
      drain: perProvider.drain[provider],
      clock,
      journalSize,
    });
  });

  // json-schema-faker is one global shared by every Prism server in the process. Resetting it,
  // as `prism mock` does at start-up, stops an unseeded run from continuing the seeded random
  // generator a previous run left behind.
  prism.resetJSONSchemaGenerator();

  const started = await Promise.allSettled(
    servers.map((server) =>
      listen(server, {
        specFile: specFilePath(specsDirectory, server.provider),
        host,
        port: ports[server.provider] ?? 0,
      }),
    ),
  );
  const listening = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (listening.length < started.length) {
    await closeAll(listening).catch(() => {
      // The start-up error below is the one worth reporting; a failed clean-up would hide it.
    });
    throwIfAnyFailed(started);
  }

  const urls = Object.freeze(Object.fromEntries(listening.map((server) => [server.provider, server.url]))) as Readonly<
    Record<Provider, string>
  >;
  const byProvider = new Map(listening.map((started) => [started.provider, started.server]));
  const serverOf = (provider: MockProviderId): ProviderServer => {
    const server = byProvider.get(provider);
    if (server === undefined) throw new Error(`${String(provider)} is not one of the started mock providers`);
    return server;
  };
  const selected = (provider: MockProviderId | undefined): ProviderServer[] =>
    provider === undefined ? [...byProvider.values()] : [serverOf(provider)];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeAll(listening));
  return {
    urls,
    setScenario: (provider, scenario) => serverOf(provider).setScenario(scenario),
    reset: (provider) => selected(provider).forEach((server) => server.reset()),
    state: (provider) => serverOf(provider).state(),
    journal: (provider) =>
      selected(provider)
        .flatMap((server) => server.journal())
        .sort((left, right) => left.time.localeCompare(right.time)),
    clearJournal: (provider) => selected(provider).forEach((server) => server.clearJournal()),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Example dates rewritten in place, once, in the operations this call loaded for itself. */
function renderExampleDates(operations: HttpOperation[], now: number): void {
  for (const operation of operations) {
    for (const response of operation.responses) {
      for (const content of response.contents ?? []) {
        for (const example of content.examples ?? []) {
          if ('value' in example) example.value = renderDatesNear(example.key, example.value, now);
        }
      }
    }
  }
}

function catalogOf(operations: readonly HttpOperation[]) {
  const exampleKeys = new Set<string>();
  const statuses = new Set<number>();
  for (const operation of operations) {
    for (const response of operation.responses) {
      if (/^\d{3}$/.test(response.code)) statuses.add(Number(response.code));
      for (const content of response.contents ?? [])
        for (const example of content.examples ?? []) exampleKeys.add(example.key);
    }
  }
  return scenarioCatalog(
    [...exampleKeys],
    [...statuses].sort((left, right) => left - right),
  );
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
  const colliding = operations.find((operation) => operation.path.startsWith(adminPrefix));
  if (colliding !== undefined) {
    throw new Error(
      `Cannot mock ${provider}: spec file ${specFile} has the path ${colliding.path}, under the mock's admin prefix ${adminPrefix}`,
    );
  }
  return operations;
}

interface ListenOptions {
  specFile: string;
  host: string;
  port: number;
}

async function listen(server: ProviderServer, { specFile, host, port }: ListenOptions): Promise<StartedServer> {
  const { provider } = server;
  let bound: { address: string; port: number };
  try {
    bound = await server.listen(port, host);
  } catch (error) {
    throw new Error(
      `Cannot mock ${provider} (spec file ${specFile}): could not listen on ${host}:${port}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return {
    provider,
    server,
    url: `http://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () => server.close(),
  };
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
    throw new MockOptionsError(
      `Unknown mock provider ${unknown.join(', ')}; expected one of ${mockProviderIds.join(', ')}`,
    );
  }
  if (providers.length === 0) {
    throw new MockOptionsError('No mock provider selected; omit `providers` to start all of them');
  }
  // Canonical order, whatever order they were asked in, so `urls` and the bin's output are stable.
  return mockProviderIds.filter((provider): provider is Provider =>
    (providers as readonly MockProviderId[]).includes(provider),
  );
}

function validatePorts(ports: Partial<Record<MockProviderId, number>>): Partial<Record<MockProviderId, number>> {
  for (const [provider, port] of Object.entries(ports)) {
    if (!isMockProviderId(provider)) {
      throw new MockOptionsError(`Port given for unknown mock provider ${provider}`);
    }
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      throw new MockOptionsError(`Port for ${provider} must be an integer from 0 to 65535, got ${String(port)}`);
    }
  }
  return ports;
}

function validatePerProvider(options: StartMockServersOptions<MockProviderId>): {
  delays: Partial<Record<MockProviderId, MockDelay>>;
  drain: Partial<Record<MockProviderId, MockDrain>>;
} {
  const check = <Value>(
    what: string,
    record: Partial<Record<string, unknown>> | undefined,
    validate: (value: unknown, provider: string) => Value,
  ) => {
    const result: Partial<Record<MockProviderId, Value>> = {};
    for (const [provider, value] of Object.entries(record ?? {})) {
      if (!isMockProviderId(provider))
        throw new MockOptionsError(`${what} given for unknown mock provider ${provider}`);
      if (value !== undefined) result[provider] = validate(value, provider);
    }
    return result;
  };
  check('Scenario', options.scenarios, (value) => value);
  return {
    delays: check('Delay', options.delays, (value, provider) => validateDelay(value, provider)),
    drain: check('Drain', options.drain, (value, provider) => validateDrain(value, provider)),
  };
}

function validateSeed(seed: string | number | undefined): string | undefined {
  if (seed === undefined) return undefined;
  // Prism only seeds when the seed is truthy, so '' would silently mean "not seeded".
  const text = String(seed);
  if (text === '') throw new MockOptionsError('seed must not be empty');
  return text;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
