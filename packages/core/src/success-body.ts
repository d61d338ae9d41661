import { InvalidResponseError } from './invalid-response-error.js';
import type { Operation } from './operation.js';
import { isHtml, parseJson, type ReceivedResponse } from './received-response.js';
import { isContentEncoded } from './response-body-rules.js';
import { describeIssues, nearestIssues, onlyMissingProperties } from './validation.js';

type InvalidDetails = { path?: string | undefined; body?: unknown; cause?: unknown };

function invalid(received: ReceivedResponse, reason: string, details: InvalidDetails = {}): InvalidResponseError {
  return new InvalidResponseError({ ...received.context, contentType: received.contentType, reason, ...details });
}

/**
 * The JSON of a successful answer, secrets redacted from its strings, or an InvalidResponseError
 * for an empty, HTML, unparsable or unrepresentable body.
 */
export function parseSuccessBody(received: ReceivedResponse, holdsSecrets: boolean): unknown {
  const { text, sanitized, contentType } = received;
  // fetch decodes a truncated gzip/br/deflate stream without complaint: what is left is empty or cut.
  const encoding = received.response.headers.get('content-encoding')?.trim().toLowerCase() ?? '';
  const compressed = isContentEncoded(encoding);
  if (text.trim() === '') {
    throw invalid(
      received,
      compressed
        ? `the compressed body (${received.redact(encoding).slice(0, 40)}) decoded to nothing: it was cut off`
        : 'the body is empty, expected JSON',
    );
  }
  if (sanitized === undefined) {
    if (isHtml(text, contentType)) {
      throw invalid(
        received,
        `expected a JSON body but got an HTML page${contentType === undefined ? '' : ` (content type ${contentType})`}`,
      );
    }
    // The parser quotes the text around the fault, which may be a secret of this response.
    if (holdsSecrets) throw invalid(received, 'the body is not valid JSON');
    const reparsed = parseJson(text);
    // Parsing the redacted text gives a parser message (and cause) that can only quote redacted text.
    if (reparsed.ok) throw invalid(received, 'the body is not valid JSON');
    const cut = compressed && /end of JSON input|Unterminated/i.test(reparsed.error.message);
    throw invalid(
      received,
      `the body is not valid JSON (${received.redact(reparsed.error.message)})${cut ? '; the compressed body was cut off' : ''}`,
      {
        cause: reparsed.error,
      },
    );
  }
  if (sanitized.nonFinitePath !== undefined) {
    throw invalid(received, `${sanitized.nonFinitePath}: a number too large to represent`, {
      path: sanitized.nonFinitePath,
      body: sanitized.value,
    });
  }
  return sanitized.value;
}

/**
 * Checks a parsed body against the operation's validator and picks its data out. A body that lacks
 * only required fields the operation does not read is used; `missingFields` names them.
 */
export function dataFromBody<Body, Data>(
  received: ReceivedResponse,
  body: unknown,
  operation: Pick<Operation<Body, Data>, 'validator' | 'unwrap' | 'secretFields' | 'fieldsRead'>,
  validate: boolean,
): { data: Data; missingFields: string[] } {
  const shown = received.maskedBody;
  const { validator, unwrap } = operation;
  let missingFields: string[] = [];
  if (validate && validator !== undefined && !validator(body)) {
    const nearest = nearestIssues(validator.errors ?? [], body);
    const missing = operation.fieldsRead === undefined ? undefined : onlyMissingProperties(nearest);
    if (missing !== undefined && !missing.some((path) => isRead(path, operation.fieldsRead!))) {
      missingFields = missing.map(received.redact);
    } else {
      const { path, reason } = describeIssues(nearest, shown, { quoteValues: operation.secretFields === undefined });
      throw invalid(
        received,
        `the body does not match the ${received.context.provider} spec: ${received.redact(reason)}`,
        {
          path,
          body: shown,
        },
      );
    }
  }
  if (unwrap === undefined) return { data: body as Data, missingFields };
  const unwrapped = unwrap(body as Body);
  if ('invalid' in unwrapped) {
    throw invalid(received, received.redact(unwrapped.invalid), { path: unwrapped.path, body: shown });
  }
  return { data: unwrapped.data, missingFields };
}

/** Whether `path` (`$.a[3].b`) is a field read, or holds one. */
function isRead(path: string, fieldsRead: readonly string[]): boolean {
  const field = path.replace(/^\$\.?/, '').replace(/\[\d+\]/g, '[]');
  return fieldsRead.some((read) => read === field || read.startsWith(`${field}.`) || read.startsWith(`${field}[]`));
}

/** The note a balance carries for fields its answer lacked but that it does not use. */
export function missingFieldsNote(missingFields: readonly string[]): string {
  // Paths name the spec's properties, but their parents can be a server's keys.
  const shown = missingFields.slice(0, 10).map((path) => visible(path.length > 100 ? `${path.slice(0, 100)}…` : path));
  const more = missingFields.length > shown.length ? ` and ${missingFields.length - shown.length} more` : '';
  return `the answer lacks ${shown.join(', ')}${more}, which the spec requires but the balance does not use`;
}

// Control and bidi characters are exactly what must not reach a terminal.
// oxlint-disable-next-line no-control-regex
const invisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(text: string): string {
  return text.replace(invisible, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
