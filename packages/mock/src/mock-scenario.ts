import { MockOptionsError } from './mock-options-error.js';
/** Ways a real provider misbehaves that a client must survive (see shared/provider-notes.md). */
export type MockFault =
  /** The TCP connection is reset (RST) before any byte of the response. */
  | 'connection-reset'
  /** HTTP 200 with `application/json` that does not parse: the example with its first comma gone. */
  | 'invalid-json'
  /** HTTP 502 with an HTML page, as a proxy or CDN in front of the API sends. */
  | 'html-error-page'
  /** The right response, its body sent in eight parts a quarter of a second apart. */
  | 'slow-body'
  /** Headers promise the whole body, half of it arrives, then the connection closes. */
  | 'truncated-body'
  /** HTTP 200 with an empty body. */
  | 'empty-body';

export const mockFaults: readonly MockFault[] = Object.freeze([
  'connection-reset',
  'invalid-json',
  'html-error-page',
  'slow-body',
  'truncated-body',
  'empty-body',
]);

/** A wait in milliseconds: fixed, or drawn uniformly from `min` to `max` for every request. */
export type MockDelay = number | { readonly min: number; readonly max: number };

/** How one request is answered. Every field is optional; `{}` is the spec's default answer. */
export interface MockResponseStep {
  /** HTTP status: the spec's response for it where the operation declares it, else a small JSON error. */
  readonly status?: number;
  /** A named example of the spec (the key under `examples:`), for the operations that have it. */
  readonly example?: string;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait before answering. */
  readonly delayMs?: MockDelay;
  readonly fault?: MockFault;
  /** In a sequence, how many requests in a row this step answers. Default 1. */
  readonly times?: number;
}

/**
 * A server-wide state: a built-in scenario's name (`'low-credits'`), several names separated by
 * commas for a sequence (`'rate-limited,unavailable,default'`), one step, or a sequence of steps.
 * A sequence answers the n-th request with its n-th step and keeps answering with its last one.
 */
export type MockScenario = string | MockResponseStep | { readonly sequence: readonly (string | MockResponseStep)[] };

/** A scenario as the server applies it: a name to show and the steps, each repeated `times`. */
export interface ResolvedScenario {
  readonly name: string;
  readonly steps: readonly MockResponseStep[];
}

export const defaultScenarioName = 'default';

/** What every provider has, whatever its spec says. */
const commonScenarios: Readonly<Record<string, MockResponseStep>> = {
  [defaultScenarioName]: {},
  'revoked-key': { status: 401 },
  'rate-limited': { status: 429, headers: { 'retry-after': '1' } },
  'server-error': { status: 500 },
  unavailable: { status: 503 },
  ...Object.fromEntries(mockFaults.map((fault) => [fault, { fault }])),
};

/**
 * The named scenarios of one provider: the common ones, one per named example in its spec
 * (`lowCredits` becomes `low-credits`) and one per declared error status (`status-596`).
 */
export function scenarioCatalog(
  exampleKeys: readonly string[],
  declaredStatuses: readonly number[],
): ReadonlyMap<string, MockResponseStep> {
  const catalog = new Map<string, MockResponseStep>(Object.entries(commonScenarios));
  for (const key of exampleKeys) {
    const name = kebabCase(key);
    if (!catalog.has(name)) catalog.set(name, { example: key });
  }
  for (const status of declaredStatuses) {
    if (status >= 300) catalog.set(`status-${status}`, { status });
  }
  return catalog;
}

export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[\s_]+/g, '-')
    .toLowerCase();
}

/** Turns any accepted form into steps, or throws an error naming what is wrong and what exists. */
export function resolveScenario(
  scenario: MockScenario,
  catalog: ReadonlyMap<string, MockResponseStep>,
  provider: string,
): ResolvedScenario {
  if (typeof scenario === 'string') {
    const names = scenario
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    if (names.length === 0) throw new MockOptionsError(`Empty scenario for ${provider}`);
    return { name: names.join(','), steps: expandTimes(names.map((name) => namedStep(name, catalog, provider))) };
  }
  if (!isRecord(scenario))
    throw new MockOptionsError(`Scenario for ${provider} must be a name, a step or { sequence }`);
  if ('sequence' in scenario) {
    const sequence: unknown = scenario.sequence;
    if (!Array.isArray(sequence) || sequence.length === 0) {
      throw new MockOptionsError(`Scenario sequence for ${provider} must be a non-empty array`);
    }
    const steps = sequence.flatMap((item: unknown) =>
      typeof item === 'string' ? resolveScenario(item, catalog, provider).steps : [validateStep(item, provider)],
    );
    return { name: 'sequence', steps: expandTimes(steps) };
  }
  return { name: 'custom', steps: expandTimes([validateStep(scenario, provider)]) };
}

function namedStep(name: string, catalog: ReadonlyMap<string, MockResponseStep>, provider: string): MockResponseStep {
  const step = catalog.get(name);
  if (step === undefined) {
    throw new MockOptionsError(`Unknown scenario "${name}" for ${provider}; known: ${[...catalog.keys()].join(', ')}`);
  }
  return step;
}

/** A scenario longer than this is a mistake (or hostile), not a test plan; it would only eat memory. */
const maxSteps = 10_000;

function expandTimes(steps: readonly MockResponseStep[]): MockResponseStep[] {
  const total = steps.reduce((sum, step) => sum + (step.times ?? 1), 0);
  if (total > maxSteps)
    throw new MockOptionsError(`A scenario may have at most ${maxSteps} steps, times included; got ${total}`);
  return steps.flatMap((step) => Array.from({ length: step.times ?? 1 }, () => step));
}

const stepKeys = new Set(['status', 'example', 'headers', 'delayMs', 'fault', 'times']);

function validateStep(value: unknown, provider: string): MockResponseStep {
  const fail = (what: string): never => {
    throw new MockOptionsError(`Invalid scenario step for ${provider}: ${what}`);
  };
  if (!isRecord(value)) return fail('expected a name or an object');
  for (const key of Object.keys(value)) if (!stepKeys.has(key)) fail(`unknown field "${key}"`);
  const { status, example, headers, delayMs, fault, times } = value;
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599)) {
    fail('status must be an integer from 200 to 599');
  }
  if (example !== undefined && (typeof example !== 'string' || example === '')) fail('example must be a name');
  if (headers !== undefined) {
    if (!isRecord(headers)) fail('headers must be an object of strings');
    for (const [name, headerValue] of Object.entries(headers as Record<string, unknown>)) {
      if (
        !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ||
        typeof headerValue !== 'string' ||
        /[\r\n]/.test(headerValue)
      ) {
        fail(`header "${name}" must be a valid name with a single-line string value`);
      }
    }
  }
  if (delayMs !== undefined) validateDelay(delayMs, `scenario step for ${provider}`);
  if (fault !== undefined && !mockFaults.includes(fault as MockFault)) {
    fail(`fault must be one of ${mockFaults.join(', ')}`);
  }
  if (times !== undefined && !(Number.isInteger(times) && (times as number) >= 1 && (times as number) <= 10_000)) {
    fail('times must be an integer from 1 to 10000');
  }
  return value as MockResponseStep;
}

/** Delays above a minute would only ever hang a test run. */
const maxDelayMs = 60_000;

export function validateDelay(delay: unknown, where: string): MockDelay {
  const isMilliseconds = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= maxDelayMs;
  if (isMilliseconds(delay)) return delay;
  if (isRecord(delay) && isMilliseconds(delay['min']) && isMilliseconds(delay['max']) && delay['min'] <= delay['max']) {
    return { min: delay['min'], max: delay['max'] };
  }
  throw new MockOptionsError(
    `Delay for ${where} must be milliseconds from 0 to ${maxDelayMs}, or { min, max } with min <= max`,
  );
}

export function delayMilliseconds(delay: MockDelay | undefined, random: () => number): number {
  if (delay === undefined) return 0;
  if (typeof delay === 'number') return delay;
  return delay.min + Math.round(random() * (delay.max - delay.min));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
