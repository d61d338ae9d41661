import type { AccountConfigOf } from '@aicredits/core';

import type { pixverseProvider } from './pixverse-provider.js';

export type { Accounts, Features } from './features.js';
export { pixverseProvider } from './pixverse-provider.js';
/** A PixVerse (useapi.net) account in an `aicredits` configuration. */
export type PixVerseAccountConfig = AccountConfigOf<typeof pixverseProvider>;
export {
  createPixVerse,
  type GetFeaturesParameters,
  type PixVerse,
  type PixVerseAccount,
  type PixVerseSettings,
} from './create-pixverse.js';
export type { components, operations, paths } from './generated/openapi.js';
export { featuresToBalance } from './pixverse-balance.js';
export { pixverseDefinition } from './pixverse-definition.js';
// The core's main entry is its user-facing surface (error classes to catch, `Balance`, settings
// types), so installing one provider is enough, also under strict package managers; the
// provider-author API stays in `@aicredits/core/provider-utils`.
export * from '@aicredits/core';
