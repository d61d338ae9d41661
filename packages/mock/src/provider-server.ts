import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import type { IHttpMockConfig, IHttpRequest } from '@stoplight/prism-http';

import { type Headers, sendWithFault } from './answer-faults.js';
import { applyDrain, drainTargetPath, type MockDrain } from './credit-drain.js';
import type { MockLogger } from './mock-logger.js';
import type { MockProviderId } from './mock-provider-id.js';
import {
  defaultScenarioName,
  delayMilliseconds,
  type MockDelay,
  type MockResponseStep,
  type MockScenario,
  type ResolvedScenario,
  resolveScenario,
  validateDelay,
} from './mock-scenario.js';
import { parsePreferences, type RequestPreferences } from './preferences.js';
import type { HttpOperation, PrismModules } from './prism-modules.js';
import { createRequestJournal, type MockJournalAnswer, type MockJournalEntry } from './request-journal.js';

/** Admin paths start here: no provider path does, and start-up refuses a spec whose path would. */
export const adminPrefix = '/__aicredits';

/** The servers' notion of time, injectable so tests can move draining credits and dates along. */
export interface MockClock {
  now(): number;
}

export interface ProviderServerOptions {
  provider: MockProviderId;
  operations: HttpOperation[];
  catalog: ReadonlyMap<string, MockResponseStep>;
  prism: PrismModules;
  config: IHttpMockConfig;
  prismLogger: Parameters<PrismModules['createInstance']>[1]['logger'];
  logger: MockLogger | undefined;
  scenario: MockScenario | undefined;
  delay: MockDelay | undefined;
  drain: MockDrain | undefined;
  clock: MockClock;
  journalSize: number;
}

/** What one provider's admin endpoint and `MockServers` report about its state. */
export interface MockProviderState {
  readonly provider: MockProviderId;
  readonly scenario: string;
  /** How many requests the current scenario has answered; a sequence is at step `position`. */
  readonly position: number;
  /** Credits taken so far by a draining account (0 without `drain`). */
  readonly drained: number;
  /** Requests being answered right now (a delayed or slow answer stays in flight). */
  readonly inFlight: number;
  /** Every scenario name this provider knows. */
  readonly scenarios: readonly string[];
}

export interface ProviderServer {
  readonly provider: MockProviderId;
  setScenario(scenario: MockScenario): void;
  /** Back to the first step of the scenario, and the credits back to full. */
  reset(): void;
  state(): MockProviderState;
  journal(): MockJournalEntry[];
  clearJournal(): void;
  listen(port: number, host: string): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

const maxRequestBodyBytes = 1024 * 1024;
const defaultScenario: ResolvedScenario = { name: defaultScenarioName, steps: [] };

interface RouteInfo {
  statuses: ReadonlySet<number>;
  exampleKeys: ReadonlySet<string>;
}

export function createProviderServer(options: ProviderServerOptions): ProviderServer {
  const { provider, operations, catalog, prism, clock } = options;
  const instance = prism.createInstance(options.config, { logger: options.prismLogger });
  const routes = routesOf(operations);
  const journal = createRequestJournal(options.journalSize);
  const drainPath = options.drain === undefined ? undefined : drainTargetPath(provider);
  const resolved = new Map<string, ResolvedScenario>();
  const resolveNamed = (name: string): ResolvedScenario => {
    let scenario = resolved.get(name);
    if (scenario === undefined) {
      scenario = resolveScenario(name, catalog, provider);
      // Bounded: every request may name a scenario of its own, and memory must not grow with them.
      if (resolved.size < 256) resolved.set(name, scenario);
    }
    return scenario;
  };

  let scenario =
    options.scenario === undefined ? defaultScenario : resolveScenario(options.scenario, catalog, provider);
  let position = 0;
  let drainRequests = 0;
  let drainSince = clock.now();
  let inFlight = 0;
  const closing = new AbortController();
  const sockets = new Set<Socket>();

  const drained = (): number => {
    const drain = options.drain;
    if (drain === undefined) return 0;
    const steps = drain.everyMs === undefined ? drainRequests : Math.floor((clock.now() - drainSince) / drain.everyMs);
    return Math.max(0, steps) * drain.amount;
  };

  const sleep = (milliseconds: number): Promise<void> =>
    new Promise((resolve) => {
      if (closing.signal.aborted) return resolve();
      const timer = setTimeout(done, milliseconds);
      function done(): void {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done, { once: true });
    });

  const state = (): MockProviderState => ({
    provider,
    scenario: scenario.name,
    position,
    drained: drained(),
    inFlight,
    scenarios: [...catalog.keys()],
  });

  const controls = {
    setScenario(next: MockScenario): void {
      scenario = resolveScenario(next, catalog, provider);
      position = 0;
    },
    reset(): void {
      position = 0;
      drainRequests = 0;
      drainSince = clock.now();
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    if (request.headers.origin !== undefined || request.method === 'OPTIONS') setCorsHeaders(request, response);
    if (
      url.startsWith(adminPrefix) &&
      (url.length === adminPrefix.length || url[adminPrefix.length] === '/' || url[adminPrefix.length] === '?')
    ) {
      return handleAdmin(request, response, url);
    }
    if (
      request.method === 'OPTIONS' &&
      request.headers.origin !== undefined &&
      request.headers['access-control-request-method'] !== undefined
    ) {
      response.setHeader('access-control-allow-methods', request.headers['access-control-request-method']);
      response.setHeader('vary', 'origin');
      response.writeHead(204, { 'content-length': 0 });
      response.end();
      return;
    }

    const time = clock.now();
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const searchParams = queryStart < 0 ? undefined : new URLSearchParams(url.slice(queryStart + 1));
    const record = (answer: MockJournalAnswer, status: number | null): void =>
      journal.record({
        provider,
        time,
        method: request.method ?? 'GET',
        url,
        headers: request.headers,
        answer,
        status,
      });

    let preferences: RequestPreferences;
    let step: MockResponseStep | undefined;
    let scenarioName = scenario.name;
    let delay: MockDelay | undefined = options.delay;
    try {
      const prefer = request.headers.prefer;
      preferences = parsePreferences(Array.isArray(prefer) ? prefer.join(',') : prefer, searchParams);
      if (preferences.scenario !== undefined) {
        const chosen = resolveNamed(preferences.scenario);
        scenarioName = chosen.name;
        step = chosen.steps[0];
      } else if (scenario.steps.length > 0) {
        step = scenario.steps[Math.min(position, scenario.steps.length - 1)];
        position += 1;
      }
      if (step?.delayMs !== undefined) delay = step.delayMs;
      if (preferences.delay !== undefined) delay = parseDelay(preferences.delay);
    } catch (error) {
      sendProblem(response, 422, 'UNPROCESSABLE_ENTITY', 'Invalid request preference', messageOf(error));
      record({ scenario: scenarioName }, 422);
      return;
    }

    let body: unknown;
    try {
      body = await readBody(request);
    } catch (error) {
      sendProblem(response, 413, 'PAYLOAD_TOO_LARGE', 'Request body too large', messageOf(error));
      record({ scenario: scenarioName }, 413);
      return;
    }

    const delayMs = delayMilliseconds(delay, Math.random);
    if (delayMs > 0) {
      await sleep(delayMs);
      if (response.destroyed) return;
    }
    const answer: { -readonly [Key in keyof MockJournalAnswer]: MockJournalAnswer[Key] } = { scenario: scenarioName };
    if (delayMs > 0) answer.delayMs = delayMs;
    if (step?.fault !== undefined) answer.fault = step.fault;

    if (step?.fault === 'connection-reset') {
      record(answer, null);
      request.socket.resetAndDestroy();
      return;
    }

    const method = (request.method ?? 'GET').toLowerCase();
    const route = routes.get(`${method} ${path}`);
    const code = preferences.code ?? step?.status;
    const example =
      preferences.example ??
      (step?.example !== undefined && (route === undefined || route.exampleKeys.has(step.example))
        ? step.example
        : undefined);
    if (code !== undefined) answer.status = code;
    if (example !== undefined) answer.example = example;

    let status: number;
    let headers: Headers = {};
    let text: string;
    if (code !== undefined && route !== undefined && !route.statuses.has(code)) {
      // The spec has nothing for this status; a provider-neutral body still lets clients map it.
      status = code;
      headers['content-type'] = 'application/json';
      text = JSON.stringify({ message: `${statusText(code)} (aicredits-mock scenario ${scenarioName})` });
    } else {
      const input: IHttpRequest = {
        method: method as IHttpRequest['method'],
        url: {
          path,
          baseUrl: searchParams?.get('__server') ?? undefined,
          query: searchParams === undefined ? {} : queryObject(searchParams),
        },
        headers: request.headers as Record<string, string>,
        body,
      };
      // A fresh mock config every time: Prism writes the request's Accept into `mock.mediaTypes`.
      const config: IHttpMockConfig = {
        ...options.config,
        mock: {
          ...options.config.mock,
          ...(code === undefined ? {} : { code }),
          ...(example === undefined ? {} : { exampleKey: example }),
          ...(preferences.dynamic === undefined ? {} : { dynamic: preferences.dynamic }),
          ...(preferences.seed === undefined ? {} : { seed: preferences.seed }),
        },
      };
      options.prismLogger.info({ input }, 'Request received');
      const result = await instance.request(input, operations, config)();
      if (result._tag === 'Left') {
        const error = result.left as Error & {
          status?: number;
          detail?: string;
          additional?: { headers?: Record<string, string> };
        };
        status = error.status ?? 500;
        headers = { 'content-type': 'application/problem+json' };
        for (const [name, value] of Object.entries(error.additional?.headers ?? {}))
          headers[name.toLowerCase()] = value;
        text = JSON.stringify(prism.toProblemJson(error));
        options.prismLogger.error({ input }, `Request terminated with error: ${String(error)}`);
      } else {
        const { output, validations } = result.right;
        status = output.statusCode;
        // Lower-case names, so a step's or a fault's header replaces Prism's instead of doubling it.
        for (const [name, value] of Object.entries(output.headers ?? {})) headers[name.toLowerCase()] = value;
        addViolations(headers, validations, options.prismLogger);
        let outputBody = output.body;
        if (drainPath === path && method === 'get' && status >= 200 && status < 300) {
          const taken = drained();
          drainRequests += 1;
          answer.drained = taken;
          outputBody = applyDrain(provider, outputBody, taken, (other) => exampleBody(operations, other, example));
        }
        text = typeof outputBody === 'string' ? outputBody : outputBody === undefined ? '' : JSON.stringify(outputBody);
      }
    }
    if (step?.headers !== undefined)
      for (const [name, value] of Object.entries(step.headers)) headers[name.toLowerCase()] = value;
    if (response.destroyed) return;
    const sent = await sendWithFault(response, step?.fault, status, headers, text, sleep);
    record(answer, sent);
  }

  async function handleAdmin(request: IncomingMessage, response: ServerResponse, url: string): Promise<void> {
    const path = url.slice(adminPrefix.length).split('?')[0];
    const method = request.method ?? 'GET';
    const json = (status: number, value: unknown): void => {
      const text = `${JSON.stringify(value, null, 2)}\n`;
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    try {
      if (path === '/health' && method === 'GET') return json(200, { status: 'ok', provider, scenario: scenario.name });
      if (path === '/scenario' && method === 'GET') return json(200, state());
      if (path === '/scenario' && method === 'PUT') {
        controls.setScenario(scenarioFromAdminBody(await readText(request), request.headers['content-type']));
        return json(200, state());
      }
      if (path === '/scenario' && method === 'DELETE') {
        controls.setScenario(defaultScenarioName);
        return json(200, state());
      }
      if (path === '/reset' && method === 'POST') {
        controls.reset();
        return json(200, state());
      }
      if (path === '/journal' && method === 'GET') return json(200, { requests: journal.entries() });
      if (path === '/journal' && method === 'DELETE') {
        journal.clear();
        return json(200, { requests: [] });
      }
    } catch (error) {
      return json(400, { error: messageOf(error) });
    }
    return json(404, {
      error: `No admin endpoint ${method} ${adminPrefix}${path}`,
      endpoints: [
        `GET ${adminPrefix}/health`,
        `GET ${adminPrefix}/scenario`,
        `PUT ${adminPrefix}/scenario`,
        `DELETE ${adminPrefix}/scenario`,
        `POST ${adminPrefix}/reset`,
        `GET ${adminPrefix}/journal`,
        `DELETE ${adminPrefix}/journal`,
      ],
    });
  }

  const server: Server = createServer((request, response) => {
    inFlight += 1;
    response.once('close', () => (inFlight -= 1));
    handle(request, response).catch((error: unknown) => {
      options.logger?.error(`[${provider}] ${messageOf(error)}`);
      if (!response.headersSent) sendProblem(response, 500, 'INTERNAL', 'Mock server error', messageOf(error));
      else response.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return {
    provider,
    ...controls,
    state,
    journal: () => journal.entries(),
    clearJournal: () => journal.clear(),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          if (address === null || typeof address === 'string') return reject(new Error('Expected a TCP address'));
          resolve({ address: address.address, port: address.port });
        });
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        // Stop accepting, wake delayed answers, then cut every connection (idle, half-sent or
        // still being answered) so that no client can hold close() open.
        server.close((error) => (error ? reject(error) : resolve()));
        closing.abort();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The body `path` answers with the example `key` (Prism's default, the first one, without it). */
function exampleBody(operations: readonly HttpOperation[], path: string, key: string | undefined): unknown {
  const operation = operations.find((candidate) => candidate.method.toLowerCase() === 'get' && candidate.path === path);
  const examples =
    operation?.responses
      .find((response) => response.code === '200')
      ?.contents?.flatMap((content) => content.examples ?? []) ?? [];
  const example = (key === undefined ? undefined : examples.find((candidate) => candidate.key === key)) ?? examples[0];
  return example !== undefined && 'value' in example ? example.value : undefined;
}

function routesOf(operations: readonly HttpOperation[]): Map<string, RouteInfo> {
  const routes = new Map<string, RouteInfo>();
  for (const operation of operations) {
    // Templated paths are left to Prism's router; only exact paths get the per-route shortcuts.
    if (operation.path.includes('{')) continue;
    const statuses = new Set<number>();
    const exampleKeys = new Set<string>();
    for (const response of operation.responses) {
      if (/^\d{3}$/.test(response.code)) statuses.add(Number(response.code));
      for (const content of response.contents ?? [])
        for (const example of content.examples ?? []) exampleKeys.add(example.key);
    }
    routes.set(`${operation.method.toLowerCase()} ${operation.path}`, { statuses, exampleKeys });
  }
  return routes;
}

function scenarioFromAdminBody(text: string, contentType: string | undefined): MockScenario {
  if (contentType?.includes('json')) {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'scenario' in parsed && Object.keys(parsed).length === 1) {
      return (parsed as { scenario: MockScenario }).scenario;
    }
    return parsed as MockScenario;
  }
  return text.trim();
}

function parseDelay(text: string): MockDelay {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (match === null) throw new Error(`delay must be milliseconds or <min>-<max>, got "${text}"`);
  const delay = match[2] === undefined ? Number(match[1]) : { min: Number(match[1]), max: Number(match[2]) };
  return validateDelay(delay, 'this request');
}

function queryObject(searchParams: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const { headers } = request;
  if (
    headers['content-length'] === '0' ||
    (headers['transfer-encoding'] === undefined && headers['content-length'] === undefined)
  ) {
    return null;
  }
  const text = await readText(request);
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(headers['content-type'] ?? '') && text !== ''
    ? JSON.parse(text)
    : text;
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxRequestBodyBytes) throw new Error(`request bodies are limited to ${maxRequestBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function setCorsHeaders(request: IncomingMessage, response: ServerResponse): void {
  const { headers } = request;
  response.setHeader('access-control-allow-origin', headers.origin ?? '*');
  response.setHeader('access-control-allow-headers', headers['access-control-request-headers'] ?? '*');
  response.setHeader('access-control-allow-credentials', 'true');
  response.setHeader('access-control-expose-headers', '*');
}

const maxViolationHeaderLength = 8 * 1024 - 100;

interface Diagnostic {
  path?: string[];
  severity: number;
  code?: string | number;
  message: string;
}

/** Prism's `sl-violations` header and log lines, as `prism mock` produces them. */
function addViolations(
  headers: Headers,
  validations: { input: Diagnostic[]; output: Diagnostic[] },
  logger: ProviderServerOptions['prismLogger'],
): void {
  const severities = ['Error', 'Warning', 'Information', 'Hint'];
  const all = [
    ...validations.input.map((detail) => ({ ...detail, location: ['request', ...(detail.path ?? [])] })),
    ...validations.output.map((detail) => ({ ...detail, location: ['response', ...(detail.path ?? [])] })),
  ].map(({ location, severity, code, message }) => ({
    location,
    severity: severities[severity] ?? 'Error',
    code,
    message,
  }));
  if (all.length === 0) return;
  let value = JSON.stringify(all);
  if (value.length > maxViolationHeaderLength)
    value = `Too many violations! ${value.substring(0, maxViolationHeaderLength)}`;
  headers['sl-violations'] = value;
  for (const violation of all) {
    const message = `Violation: ${violation.location.join('.')} ${violation.message}`;
    if (violation.severity === 'Error') logger.error({ name: 'VALIDATOR' }, message);
    else if (violation.severity === 'Warning') logger.warn({ name: 'VALIDATOR' }, message);
    else logger.info({ name: 'VALIDATOR' }, message);
  }
}

function sendProblem(response: ServerResponse, status: number, type: string, title: string, detail: string): void {
  const text = JSON.stringify({ type: `https://stoplight.io/prism/errors#${type}`, title, status, detail });
  response.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
