import { InvalidResponseError } from './invalid-response-error.js';
import type { Operation } from './operation.js';
import { isHtml, parseJson, type ReceivedResponse } from './received-response.js';
import { describeValidationFailure } from './validation.js';

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
  const encoding = received.response.headers.get('content-encoding')?.trim().toLowerCase();
  const compressed = encoding !== undefined && encoding !== '' && encoding !== 'identity';
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

/** Checks a parsed body against the operation's validator and picks its data out. */
export function dataFromBody<Body, Data>(
  received: ReceivedResponse,
  body: unknown,
  operation: Pick<Operation<Body, Data>, 'validator' | 'unwrap' | 'secretFields'>,
  validate: boolean,
): Data {
  const shown = received.maskedBody;
  const { validator, unwrap } = operation;
  if (validate && validator !== undefined && !validator(body)) {
    const { path, reason } = describeValidationFailure(validator, shown, {
      quoteValues: operation.secretFields === undefined,
    });
    throw invalid(received, `the body does not match the ${received.context.provider} spec: ${reason}`, {
      path,
      body: shown,
    });
  }
  if (unwrap === undefined) return body as Data;
  const unwrapped = unwrap(body as Body);
  if ('invalid' in unwrapped) {
    throw invalid(received, received.redact(unwrapped.invalid), { path: unwrapped.path, body: shown });
  }
  return unwrapped.data;
}
