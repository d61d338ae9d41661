/** The shared provider contract (`@aicredits/test-server/contract`) against the Prism mock of specs/imaginepro.yaml. */
import { readProviderSpec } from '@aicredits/test-server';
import { describeProviderContract } from '@aicredits/test-server/contract';
import { useMockServer } from '@aicredits/test-server/mock';

import { createImaginePro, imagineProProvider } from './index.js';

describeProviderContract({
  provider: imagineProProvider,
  spec: readProviderSpec('imaginepro'),
  mockURL: useMockServer('imaginepro'),
  operations: {
    getAccountInfo: { call: (settings, options) => createImaginePro(settings).getAccountInfo(options) },
  },
  errorClasses: { 401: 'AuthenticationError', 500: 'ServerError' },
  seedBalance: { unit: 'credits', plan: 'STARTER', remaining: 2600 },
});
