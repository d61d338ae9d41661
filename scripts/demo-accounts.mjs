// The demos' accounts: each built-in provider's `demo.json` in its package (the facade's list,
// scripts/built-in-providers.mjs), in the mock's port order (which is also the order the demos
// have always printed), pointed at the mock servers with a fake key each. A built-in provider
// without a mock or without a demo.json is an error here, not a silently shorter demo.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { mockProviderIds } from '@aicredits/mock';

import { builtInProviderPackages } from './built-in-providers.mjs';

const unmocked = builtInProviderPackages.filter(({ id }) => !mockProviderIds.includes(id));
if (unmocked.length > 0) throw new Error(`no mock for ${unmocked.map(({ id }) => id).join(', ')}`);

const demos = mockProviderIds.flatMap((id) => {
  const provider = builtInProviderPackages.find((entry) => entry.id === id);
  if (provider === undefined) return [];
  const file = join(provider.folder, 'demo.json');
  if (!existsSync(file)) throw new Error(`${provider.packageName} has no demo.json (the accounts the demos show)`);
  return [{ id, demo: JSON.parse(readFileSync(file, 'utf8')) }];
});

const keyVariable = (id) => `DEMO_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_KEY`;

/** The fake keys the demo configs point at, by environment variable. */
export const demoKeys = Object.fromEntries(demos.map(({ id }) => [keyVariable(id), `demo-${id}-key`]));

/**
 * The accounts of one demo (`balances`, `watch` or `serve`) against the mock servers at `urls`;
 * an account's `example` becomes the `Prefer: example=<name>` header that makes Prism answer it.
 */
export function demoAccounts(part, urls) {
  return demos.flatMap(({ id, demo }) =>
    (part === 'balances' ? demo.balances : demo[part].accounts).map(({ example, ...account }) => ({
      provider: id,
      ...account,
      apiKeyEnv: keyVariable(id),
      baseURL: urls[id],
      ...(example === undefined ? {} : { headers: { Prefer: `example=${example}` } }),
    })),
  );
}

/** The mock's drain for one demo (`watch` or `serve`): each provider's amount every `everyMs`. */
export function demoDrain(part, everyMs) {
  return Object.fromEntries(demos.map(({ id, demo }) => [id, { amount: demo[part].drain, everyMs }]));
}
