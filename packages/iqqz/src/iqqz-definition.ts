import type { ApiErrorKind } from '@aicredits/core';
import type { ProviderDefinition, ProviderErrorDetails } from '@aicredits/core/provider-utils';

/**
 * iqqz is a one-api / new-api style gateway: errors are `{ error: { message, type, code? } }`, and
 * some arrive under HTTP 200. Messages may be Chinese ("无效的令牌" = invalid token).
 */
export const iqqzDefinition: ProviderDefinition = {
  id: 'iqqz',
  defaultBaseURL: 'https://api.iqqz.com',
  apiKeyEnvironmentVariable: 'IQQZ_API_KEY',
  authenticate: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  // With a real status, the status decides the kind; the words only name it under HTTP 200.
  describeError: (body) => ({ message: gatewayError(body)?.message }),
  findErrorInSuccess: (body) => {
    const details = gatewayError(body);
    return details === undefined ? undefined : { ...details, kind: details.kind ?? 'other' };
  },
};

function gatewayError(body: unknown): ProviderErrorDetails | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error === 'string') return { message: error };
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, type, code } = error as { message?: unknown; type?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : undefined;
  return { message: text, kind: kindFor([text, type, code].filter((part) => typeof part === 'string').join(' ')) };
}

/** Only the status-less errors need this: under HTTP 200 the words are all there is. */
function kindFor(text: string): ApiErrorKind | undefined {
  return /令牌|token|unauthori[sz]ed|api key/i.test(text) ? 'authentication' : undefined;
}
