import { defineProvider } from '@aicredits/core/provider-utils';

import { createCrowdComputed } from './create-crowdcomputed.js';
import { crowdComputedDefinition } from './crowdcomputed-definition.js';

/** CrowdComputed as a provider module: one account, one balance, no fields of its own. */
export const crowdComputedProvider = defineProvider({
  id: 'crowdcomputed',
  displayName: 'CrowdComputed',
  definition: crowdComputedDefinition,
  accountFields: {},
  checks: ({ label, settings }) => {
    const client = createCrowdComputed(settings);
    return [{ label, fetch: (options) => client.getBalance({ ...options, account: label }) }];
  },
});
