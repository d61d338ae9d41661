/** The shared provider contract (`@aicredits/test-server/contract`) against the Prism mock of specs/crowdcomputed.yaml. */
import { readProviderSpec } from '@aicredits/test-server';
import { describeProviderContract } from '@aicredits/test-server/contract';
import { useMockServer } from '@aicredits/test-server/mock';

import { createCrowdComputed, crowdComputedProvider, type MemberInfoEnvelope } from './index.js';

describeProviderContract({
  provider: crowdComputedProvider,
  spec: readProviderSpec('crowdcomputed'),
  mockURL: useMockServer('crowdcomputed'),
  operations: {
    getMemberInfo: {
      call: (settings, options) => createCrowdComputed(settings).getMemberInfo(options),
      decode: (body) => (body as MemberInfoEnvelope).data,
      // Failures arrive as `{ code: 'Failed', message, data: null }` under HTTP 200.
      isErrorEnvelope: (body) => (body as MemberInfoEnvelope).code !== 'Success',
      envelopeErrors: { failed: 'AuthenticationError' },
    },
  },
  errorClasses: { 401: 'AuthenticationError' },
  seedBalance: { unit: 'points', plan: 'hobby', remaining: 0 },
});
