/** The shared provider contract (`@aicredits/test-server/contract`) against the Prism mock of specs/pixverse.yaml. */
import { dateFromEpochSeconds, dateFromIso } from '@aicredits/core/provider-utils';
import { readProviderSpec } from '@aicredits/test-server';
import { describeProviderContract } from '@aicredits/test-server/contract';
import { useMockServer } from '@aicredits/test-server/mock';

import { type Accounts, createPixVerse, pixverseProvider } from './index.js';

describeProviderContract({
  provider: pixverseProvider,
  spec: readProviderSpec('pixverse'),
  mockURL: useMockServer('pixverse'),
  operations: {
    getFeatures: { call: (settings, options) => createPixVerse(settings).getFeatures({}, options) },
    getAccounts: {
      call: (settings, options) => createPixVerse(settings).listAccounts(options),
      // The accounts by email, without their session tokens and passwords.
      decode: (body) =>
        Object.entries(body as Accounts).map(([key, account]) => ({
          email: account.email ?? key,
          maxJobs: account.maxJobs,
          sessionExpiresAt: dateFromIso(account.jwt?.ExpireTimeUTC) ?? dateFromEpochSeconds(account.jwt?.ExpireTime),
        })),
    },
  },
  errorClasses: {
    400: 'BadRequestError',
    401: 'AuthenticationError',
    402: 'PermissionDeniedError',
    404: 'NotFoundError',
    412: 'InsufficientCreditsError',
    429: 'RateLimitError',
    500: 'ServerError',
    503: 'ServerError',
    596: 'AuthenticationError',
  },
  seedBalance: { unit: 'credits', plan: 'Pro Plan' },
});
