import type { IncomingHttpHeaders } from 'node:http';

/** One request a mock server answered, as the journal shows it. */
export interface MockJournalEntry {
  readonly provider: string;
  /** When the request arrived (ISO 8601, from the servers' clock). */
  readonly time: string;
  readonly method: string;
  readonly path: string;
  /** Query parameters; credentials (`key`, `token`...) show as `[redacted]`. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Request headers; credentials (`authorization`, `token`, `x-api-key`...) show as `[redacted]`. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** What the mock chose: the scenario (or `default`), and the step's status, example, fault and delay. */
  readonly answer: MockJournalAnswer;
  /** The HTTP status sent, or `null` for a fault that sent none (a reset connection). */
  readonly status: number | null;
}

export interface MockJournalAnswer {
  readonly scenario: string;
  readonly status?: number;
  readonly example?: string;
  readonly fault?: string;
  readonly delayMs?: number;
  /** Credits taken so far by a draining account, where this request was its balance request. */
  readonly drained?: number;
}

/**
 * A ring of the latest requests. Entries keep the raw request data and are redacted only when
 * read, so that recording costs the default path almost nothing.
 */
export interface RequestJournal {
  record(entry: RawJournalEntry): void;
  entries(): MockJournalEntry[];
  clear(): void;
}

export interface RawJournalEntry {
  provider: string;
  time: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  answer: MockJournalAnswer;
  status: number | null;
}

export function createRequestJournal(limit: number): RequestJournal {
  let ring: RawJournalEntry[] = [];
  let next = 0;
  return {
    record(entry) {
      if (limit === 0) return;
      if (ring.length < limit) ring.push(entry);
      else ring[next] = entry;
      next = (next + 1) % limit;
    },
    entries() {
      const ordered = ring.length < limit ? ring : [...ring.slice(next), ...ring.slice(0, next)];
      return ordered.map(present);
    },
    clear() {
      ring = [];
      next = 0;
    },
  };
}

function present(entry: RawJournalEntry): MockJournalEntry {
  const url = new URL(entry.url, 'http://mock.invalid');
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name).map((value) => (isCredentialName(name) ? redacted : value));
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return {
    provider: entry.provider,
    time: new Date(entry.time).toISOString(),
    method: entry.method,
    path: url.pathname,
    query,
    headers: redactHeaders(entry.headers),
    answer: entry.answer,
    status: entry.status,
  };
}

export const redacted = '[redacted]';

/** Names that carry credentials in the providers' schemes and in the ones apps commonly add. */
const credentialName =
  /^(authorization|proxy-authorization|cookie|set-cookie|token)$|key|token|secret|passw|auth|session|signature/i;

export function isCredentialName(name: string): boolean {
  return credentialName.test(name);
}

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name] = isCredentialName(name) ? redactCredential(value) : value;
  }
  return result;
}

/** Keeps the scheme of `Bearer <token>` (which says how the client authenticated), never the token. */
function redactCredential(value: string | string[]): string | string[] {
  if (Array.isArray(value)) return value.map((item) => redactCredential(item) as string);
  const scheme = /^(Bearer|Basic|Token|Digest)\s+/i.exec(value);
  return scheme === null ? redacted : `${scheme[1]} ${redacted}`;
}

/**
 * Redacts credentials in a log line: `name: value` header lines Prism prints for each request,
 * `Bearer <token>` anywhere, and credential query parameters in URLs.
 */
export function redactLogLine(line: string): string {
  return line
    .replace(
      /^(.*?[<>]\s*)([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/,
      (whole, prefix: string, name: string, value: string) =>
        isCredentialName(name) ? `${prefix}${name}: ${redactCredential(value) as string}` : whole,
    )
    .replace(/\b(Bearer|Basic)\s+(?!\[redacted\])[^\s"',]+/gi, `$1 ${redacted}`)
    .replace(/([?&])([^=&\s"]+)=([^&\s"]*)/g, (whole, separator: string, name: string) =>
      isCredentialName(name) ? `${separator}${name}=${redacted}` : whole,
    );
}
