import { redactedPlaceholder, redactSecrets } from './redact.js';
import { isPlainJson, type SanitizedJson, sanitizeJson } from './sanitize-json.js';
import type { Exchange } from './transport.js';

/**
 * A call's final response, read once: its body redacted (as text and as parsed JSON), masked
 * where the operation names secret fields, and the facts every error of the call carries.
 */
export interface ReceivedResponse {
  response: Response;
  exchange: Exchange;
  redact: (text: string) => string;
  /** The content type, redacted and cut to a length that fits a message. */
  contentType: string | undefined;
  /** The body text with every form of the key redacted, secret fields still in place. */
  text: string;
  /** The parsed body, secrets redacted from its strings; `undefined` when it is not JSON. */
  sanitized: SanitizedJson | undefined;
  /** The parsed body as errors keep it: secret fields masked too (validation needs them intact). */
  maskedBody: unknown;
  /** The facts every error of this call carries, `rawBody` as errors keep it. */
  context: {
    provider: string;
    operation: string;
    url: string;
    status: number;
    rawBody: string;
    requestId: string | undefined;
  };
}

const defaultRequestIdHeaders = ['x-request-id', 'request-id', 'x-amzn-requestid', 'cf-ray'];

export function receiveResponse(
  response: Response,
  exchange: Exchange,
  options: {
    provider: string;
    secrets: readonly (string | undefined)[];
    secretFields: readonly string[] | undefined;
    requestIdHeaders: readonly string[] | undefined;
  },
): ReceivedResponse {
  const { secrets, secretFields } = options;
  const redact = (text: string) => redactSecrets(text, secrets);
  const parsed = parseJson(exchange.bodyText);
  const text = redact(exchange.bodyText);
  // Secrets are redacted from the parsed strings too: an escaped echo parses into the plain key.
  // Without a backslash in the body every parsed string is a verbatim piece of it, so a body with
  // no echo of the key has none in its strings: the parse itself is the sanitized copy.
  const verbatim = text === exchange.bodyText && !exchange.bodyText.includes('\\');
  const sanitized = !parsed.ok
    ? undefined
    : verbatim && isPlainJson(parsed.value)
      ? { value: parsed.value, nonFinitePath: undefined }
      : sanitizeJson(parsed.value, secrets);
  const masked =
    sanitized === undefined || secretFields === undefined ? sanitized : sanitizeJson(sanitized.value, [], secretFields);
  // An error body that is not JSON cannot hold the secret fields by name, and is the provider's
  // only explanation (PixVerse's plain-text 404), so only JSON and success bodies are masked.
  const rawBody =
    secretFields === undefined || (!response.ok && masked === undefined)
      ? text
      : masked === undefined
        ? `${redactedPlaceholder} (unparsable body of a response that holds secrets)`
        : JSON.stringify(masked.value);
  return {
    response,
    exchange,
    redact,
    contentType: boundedHeader(response.headers.get('content-type'), redact),
    text,
    sanitized,
    maskedBody: masked?.value,
    context: {
      provider: options.provider,
      operation: exchange.operation,
      url: redact(exchange.url ?? (response.url || exchange.operation)),
      status: response.status,
      rawBody,
      requestId: boundedHeader(
        readRequestId(response.headers, options.requestIdHeaders ?? defaultRequestIdHeaders),
        redact,
      ),
    },
  };
}

function readRequestId(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** A response header quoted in an error: redacted, and cut to a length that fits a message. */
export function boundedHeader(value: string | null | undefined, redact: (text: string) => string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const redacted = redact(value);
  return redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted;
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: Error } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

export function isHtml(text: string, contentType: string | undefined): boolean {
  return /html/i.test(contentType ?? '') || text.trimStart().startsWith('<');
}
