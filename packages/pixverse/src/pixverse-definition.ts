import type { ApiErrorKind } from '@aicredits/core';
import type { ProviderDefinition } from '@aicredits/core/provider-utils';

/** useapi.net statuses whose meaning differs from plain HTTP semantics. */
const kindByStatus: Record<number, ApiErrorKind> = {
  // The useapi.net subscription (not the PixVerse one) has expired.
  402: 'permission',
  412: 'insufficient-credits',
  // The linked PixVerse session is broken and must be re-added: only a person can fix that.
  596: 'authentication',
};

/** PixVerse through useapi.net: errors are `{ error, code }`. */
export const pixverseDefinition: ProviderDefinition = {
  id: 'pixverse',
  defaultBaseURL: 'https://api.useapi.net',
  apiKeyEnvironmentVariable: 'USEAPI_API_TOKEN',
  authenticate: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  describeError: (body, status) => ({
    message:
      typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string'
        ? body.error
        : undefined,
    kind: kindByStatus[status],
  }),
  // 596 is in the 5xx range but retrying cannot repair a broken session.
  isRetryableStatus: (status) => (status === 596 ? false : undefined),
};
