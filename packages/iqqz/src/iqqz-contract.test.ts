/** The shared provider contract (`@aicredits/test-server/contract`) against the Prism mock of specs/iqqz.yaml. */
import { readProviderSpec } from '@aicredits/test-server';
import { describeProviderContract } from '@aicredits/test-server/contract';
import { useMockServer } from '@aicredits/test-server/mock';

import { createIqqz, iqqzProvider } from './index.js';

/** one-api / new-api answer a bad token with `{ error: { message, type } }`, also under HTTP 200. */
const isGatewayError = (body: unknown) =>
  typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'object';

describeProviderContract({
  provider: iqqzProvider,
  spec: readProviderSpec('iqqz'),
  mockURL: useMockServer('iqqz'),
  operations: {
    getSubscription: {
      call: (settings, options) => createIqqz(settings).getSubscription(options),
      isErrorEnvelope: isGatewayError,
      envelopeErrors: { gatewayError: 'AuthenticationError' },
    },
    getUsage: {
      call: (settings, options) => createIqqz(settings).getUsage({}, options),
      isErrorEnvelope: isGatewayError,
      envelopeErrors: { gatewayError: 'AuthenticationError' },
    },
    getStatus: {
      call: (settings, options) => createIqqz(settings).getStatus(options),
      decode: (body) => (body as { data?: unknown }).data ?? {},
    },
  },
  errorClasses: { 401: 'AuthenticationError', 404: 'NotFoundError' },
  seedBalance: { limit: 5, used: 2.5, remaining: 2.5, unlimited: false },
});
