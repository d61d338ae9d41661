import { configField, defineProvider } from '@aicredits/core/provider-utils';

import { createIqqz } from './create-iqqz.js';
import { iqqzDefinition } from './iqqz-definition.js';

/** iqqz (and any one-api / new-api gateway) as a provider module. */
export const iqqzProvider = defineProvider({
  id: 'iqqz',
  displayName: 'iqqz',
  definition: iqqzDefinition,
  accountFields: {
    unit: configField.string(
      "The gateway's display unit (USD, CNY, tokens). Default: what the gateway's /api/status publishes, else USD (marked as assumed).",
    ),
  },
  checks: ({ account, label, settings }) => {
    const client = createIqqz(settings);
    return [{ label, fetch: (options) => client.getBalance({ ...options, account: label, unit: account.unit }) }];
  },
});
