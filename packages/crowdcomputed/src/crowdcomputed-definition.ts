import type { ApiErrorKind } from '@aicredits/core';
import type { ProviderDefinition } from '@aicredits/core/provider-utils';

/**
 * CrowdComputed wraps every answer in `{ code, message, data }`; `code: "Failed"` is a failure even
 * under HTTP 200, and the message is the only hint of what failed.
 */
export const crowdComputedDefinition: ProviderDefinition = {
  id: 'crowdcomputed',
  defaultBaseURL: 'https://api.crowdcomputed.com',
  apiKeyEnvironmentVariable: 'CROWDCOMPUTED_API_KEY',
  authenticate: (apiKey) => ({ token: apiKey }),
  describeError: (body, status) => {
    const message = envelopeMessage(body);
    return message === undefined ? undefined : { message, kind: status === 200 ? kindForMessage(message) : undefined };
  },
  findErrorInSuccess: (body) => {
    if (!isEnvelope(body) || body.code === 'Success') return undefined;
    const message = envelopeMessage(body) ?? `envelope code ${JSON.stringify(body.code)}`;
    return { message, kind: kindForMessage(message) };
  },
};

function isEnvelope(body: unknown): body is { code: unknown; message?: unknown } {
  return typeof body === 'object' && body !== null && 'code' in body;
}

function envelopeMessage(body: unknown): string | undefined {
  return isEnvelope(body) && typeof body.message === 'string' && body.message !== '' ? body.message : undefined;
}

function kindForMessage(message: string): ApiErrorKind {
  return /unauthori[sz]ed|token/i.test(message) ? 'authentication' : 'other';
}
