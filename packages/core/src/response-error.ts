import { type ApiCallError, createApiCallError, errorKindForStatus } from './api-call-error.js';
import type { ProviderDefinition } from './provider-definition.js';
import { boundedHeader, isHtml, parseJson, type ReceivedResponse } from './received-response.js';
import { retryAfterMs } from './retry-delay.js';
import { maxRedirects } from './transport.js';

/** The typed error for a non-2xx answer, in the provider's words where its body has them. */
export function errorForFailedResponse(
  received: ReceivedResponse,
  definition: ProviderDefinition,
  facts: { isRetryable: boolean; now: number },
): ApiCallError {
  const { response, exchange, redact } = received;
  const details = isRedirect(response)
    ? { message: describeRedirect(response, exchange.url ?? response.url, redact) }
    : definition.describeError?.(received.maskedBody, response.status);
  const statusText = redact(exchange.statusText ?? response.statusText);
  return createApiCallError(details?.kind ?? errorKindForStatus(response.status), {
    ...received.context,
    body: received.maskedBody,
    providerMessage:
      redactMessage(details?.message, redact) ??
      plainTextMessage(received.text, received.contentType) ??
      (statusText || undefined),
    attempts: exchange.attempts,
    isRetryable: facts.isRetryable,
    retryAfterMs: retryAfterMs(response.headers, facts.now),
  });
}

/** The typed error for a failure the provider reports under HTTP 200, if the body is one. */
export function errorInSuccess(
  received: ReceivedResponse,
  body: unknown,
  definition: ProviderDefinition,
): ApiCallError | undefined {
  const failure = definition.findErrorInSuccess?.(body);
  if (failure === undefined) return undefined;
  return createApiCallError(failure.kind, {
    ...received.context,
    body: received.maskedBody,
    providerMessage: redactMessage(failure.message, received.redact),
    attempts: received.exchange.attempts,
    isRetryable: false,
  });
}

/** A short plain-text error body is the provider's message; HTML pages and long dumps are not. */
function plainTextMessage(rawBody: string, contentType: string | undefined): string | undefined {
  const text = rawBody.trim();
  if (text === '' || text.length > 300 || isHtml(text, contentType)) return undefined;
  return parseJson(text).ok ? undefined : text;
}

function redactMessage(message: string | undefined, redact: (text: string) => string): string | undefined {
  return message === undefined ? undefined : redact(message);
}

/** Where a redirect we did not follow points, and why: another origin, a loop, or no usable target. */
function describeRedirect(response: Response, from: string, redact: (text: string) => string): string {
  const location = response.headers.get('location') ?? '';
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return 'redirected to a Location that is not a valid URL';
  }
  const shown = boundedHeader(target.href, redact);
  if (target.origin === new URL(from).origin) {
    return `redirected to ${shown} within the same origin more than ${maxRedirects} times: a redirect loop`;
  }
  return `redirected to ${shown}, another origin: not followed, so that the API key is not sent there; point baseURL at the new address if it is genuine`;
}

function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400 && response.headers.has('location');
}
