import { type BalanceCheck, configField, defineProvider } from '@aicredits/core/provider-utils';

import { createPixVerse } from './create-pixverse.js';
import { pixverseDefinition } from './pixverse-definition.js';

/**
 * PixVerse through useapi.net as a provider module: a useapi.net token may hold several PixVerse
 * accounts, picked by `email`, or all of them with `allAccounts`.
 */
export const pixverseProvider = defineProvider({
  id: 'pixverse',
  displayName: 'PixVerse (useapi.net)',
  definition: pixverseDefinition,
  accountFields: {
    email: configField.string("The PixVerse account's email; needed when the useapi.net token has several."),
    allAccounts: configField.boolean('Ask useapi.net for every configured PixVerse account and check each one.'),
  },
  defaultLabel: (account) => account.email,
  discoversAccounts: (account) => account.allAccounts === true,
  checks: async ({ account, label, settings, options }) => {
    const client = createPixVerse(settings);
    const check = (email: string | undefined, checkLabel: string): BalanceCheck => ({
      label: checkLabel,
      fetch: (callOptions) => client.getBalance({ email }, { ...callOptions, account: checkLabel }),
    });
    if (!account.allAccounts) return [check(account.email, label)];
    const found = await client.listAccounts(options);
    return found.map(({ email }) => check(email, account.label === undefined ? email : `${account.label}/${email}`));
  },
});
