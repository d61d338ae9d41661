import { defineProvider } from '@aicredits/core/provider-utils';

import { createImaginePro } from './create-imaginepro.js';
import { imagineProDefinition } from './imaginepro-definition.js';

/** ImaginePro as a provider module: one account, one balance, no fields of its own. */
export const imagineProProvider = defineProvider({
  id: 'imaginepro',
  displayName: 'ImaginePro',
  definition: imagineProDefinition,
  accountFields: {},
  checks: ({ label, settings }) => {
    const client = createImaginePro(settings);
    return [{ label, fetch: (options) => client.getBalance({ ...options, account: label }) }];
  },
});
