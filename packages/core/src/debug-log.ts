import { redactedPlaceholder, redactSecrets } from './redact.js';

/** One line of the debug log: an attempt of a request, never its auth headers' values. */
export interface DebugLogEntry {
  provider: string;
  operation: string;
  method: string;
  url: string;
  attempt: number;
  /** Request headers, with authentication headers and anything containing the API key redacted. */
  headers: Record<string, string>;
  status?: number | undefined;
  durationMs: number;
  error?: string | undefined;
  /** Set when another attempt follows after this wait. */
  retryInMs?: number | undefined;
}

export type DebugLogger = (entry: DebugLogEntry) => void;

export const debugEnvironmentVariable = 'AICREDITS_DEBUG';

/** Always redacted; a provider's own key header (CrowdComputed's `token`) is added by the client. */
const credentialHeaders = ['authorization', 'proxy-authorization', 'cookie'];

/** The lower-case names to redact for a provider that sends its key in `providerHeaders`. */
export function headersToRedact(providerHeaders: readonly string[]): ReadonlySet<string> {
  return new Set([...credentialHeaders, ...providerHeaders.map((name) => name.toLowerCase())]);
}

/** `debug: true` prints to stderr; unset, the `AICREDITS_DEBUG` environment variable decides. */
export function resolveDebugLogger(debug: boolean | DebugLogger | undefined): DebugLogger | undefined {
  if (typeof debug === 'function') return debug;
  const enabled = debug ?? isTruthy(readEnvironment(debugEnvironmentVariable));
  return enabled ? printDebugLogEntry : undefined;
}

export function printDebugLogEntry(entry: DebugLogEntry): void {
  const outcome = entry.status === undefined ? `error ${entry.error}` : `HTTP ${entry.status}`;
  const retry = entry.retryInMs === undefined ? '' : `, retrying in ${Math.round(entry.retryInMs)} ms`;
  console.error(
    `[aicredits] ${entry.provider} ${entry.operation} ${entry.method} ${entry.url} -> ${outcome} ` +
      `(attempt ${entry.attempt}, ${Math.round(entry.durationMs)} ms${retry}) headers=${JSON.stringify(entry.headers)}`,
  );
}

export function redactHeaders(
  headers: Headers,
  names: ReadonlySet<string>,
  secrets: readonly (string | undefined)[],
): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name] = names.has(name) ? redactedPlaceholder : redactSecrets(value, secrets);
  });
  return result;
}

export function readEnvironment(name: string): string | undefined {
  // `process` does not exist in browsers and some edge runtimes.
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return environment?.[name];
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
