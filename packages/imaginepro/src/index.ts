import type { AccountConfigOf } from '@aicredits/core';

import type { imagineProProvider } from './imaginepro-provider.js';

export type { AccountInfo } from './account-info.js';
export { createImaginePro, type ImaginePro, type ImagineProSettings } from './create-imaginepro.js';
export { imagineProProvider } from './imaginepro-provider.js';
/** An ImaginePro account in an `aicredits` configuration. */
export type ImagineProAccountConfig = AccountConfigOf<typeof imagineProProvider>;
export type { components, operations, paths } from './generated/openapi.js';
export { accountInfoToBalance } from './imaginepro-balance.js';
export { imagineProDefinition } from './imaginepro-definition.js';
// The core's main entry is its user-facing surface (error classes to catch, `Balance`, settings
// types), so installing one provider is enough, also under strict package managers; the
// provider-author API stays in `@aicredits/core/provider-utils`.
export * from '@aicredits/core';
