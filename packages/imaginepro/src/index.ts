export { createImaginePro, type AccountInfo, type ImaginePro, type ImagineProSettings } from './create-imaginepro.js';
export type { components, operations, paths } from './generated/openapi.js';
export { imagineProDefinition } from './imaginepro-definition.js';
export { accountInfoToBalance } from './imaginepro-balance.js';
// Everything of the core (error classes to catch, `Balance`, settings types), so that installing
// one provider is enough, also under strict package managers.
export * from '@aicredits/core';
